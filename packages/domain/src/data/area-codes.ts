import type { ZoneKey } from "./timezones.ts";

/**
 * US area codes (NANP, geographic: the 50 states, DC and the five inhabited territories) → state and
 * every zone the area code covers.
 * Snapshot 2026-11 from the NANPA area-code list; zones for split area codes per compliance.md
 * (850, 448 FL panhandle; 219, 574, 812, 930 IN; 270, 364, 606 KY; 423 TN; 906 MI; 208, 986 ID;
 * 605 SD; 701 ND; 308 NE; 620, 785 KS; 432, 915 TX; 458, 541 OR; 928 AZ incl. Navajo Nation DST;
 * 907 AK incl. the Aleutians; 775 NV incl. West Wendover's Mountain time). One line per state:
 * `ST zone: codes; zone: codes`. Non-geographic codes (800, 888, 500…) and Canada are absent: such a
 * number has no area-code zone and relies on its state/ZIP or on the safe window.
 */
const TABLE = `
AL C: 205 251 256 334 483 659 938
AK AK ADAK: 907
AZ AZ: 480 520 602 623; AZ M: 928
AR C: 327 479 501 870
CA P: 209 213 279 310 323 341 350 357 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 738 747 760 805 818 820 831 837 840 858 909 916 925 949 951
CO M: 303 719 720 748 970 983
CT E: 203 475 860 959
DC E: 202 771
DE E: 302
FL E: 239 305 321 324 352 386 407 561 645 656 689 727 728 754 772 786 813 863 904 941 954; E C: 448 850
GA E: 229 404 470 478 678 706 762 770 912 943
HI HI: 808
ID M P: 208 986
IL C: 217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872
IN E: 260 317 463 765; E C: 219 574 812 930
IA C: 319 515 563 641 712
KS C: 316 913; C M: 620 785
KY E: 502 859; E C: 270 364 606
LA C: 225 318 337 457 504 985
ME E: 207
MD E: 227 240 301 410 443 667
MA E: 339 351 413 508 617 774 781 857 978
MI E: 231 248 269 313 517 586 616 679 734 810 947 989; E C: 906
MN C: 218 320 507 612 651 763 924 952
MS C: 228 601 662 769
MO C: 235 314 417 557 573 636 660 816 975
MT M: 406
NE C: 402 531; C M: 308
NV P: 702 725; P M: 775
NH E: 603
NJ E: 201 551 609 640 732 848 856 862 908 973
NM M: 505 575
NY E: 212 315 329 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934
NC E: 252 336 472 704 743 828 910 919 980 984
ND C M: 701
OH E: 216 220 234 283 326 330 380 419 436 440 513 567 614 740 937
OK C: 405 539 572 580 918
OR P: 503 971; P M: 458 541
PA E: 215 223 267 272 412 445 484 570 582 610 717 724 814 835 878
RI E: 401
SC E: 803 821 839 843 854 864
SD C M: 605
TN E: 865; E C: 423; C: 615 629 731 901 931
TX C: 210 214 254 281 325 346 361 409 430 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979; C M: 432; M: 915
UT M: 385 435 801
VT E: 802
VA E: 276 434 540 571 686 703 757 804 826 948
WA P: 206 253 360 425 509 564
WV E: 304 681
WI C: 262 274 353 414 534 608 715 920
WY M: 307
PR AST: 787 939
VI AST: 340
GU CHST: 671
MP CHST: 670
AS SST: 684
`;

export interface AreaCodeInfo {
  state: string;
  zones: readonly ZoneKey[];
}

function parseTable(text: string): ReadonlyMap<string, AreaCodeInfo> {
  const table = new Map<string, AreaCodeInfo>();
  for (const line of text.trim().split("\n")) {
    const state = line.slice(0, 2);
    for (const group of line.slice(3).split(";")) {
      const [zonesText = "", codesText = ""] = group.split(":");
      const zones = Object.freeze(zonesText.trim().split(/\s+/) as ZoneKey[]);
      for (const code of codesText.trim().split(/\s+/)) table.set(code, Object.freeze({ state, zones }));
    }
  }
  return table;
}

export const AREA_CODES: ReadonlyMap<string, AreaCodeInfo> = parseTable(TABLE);
