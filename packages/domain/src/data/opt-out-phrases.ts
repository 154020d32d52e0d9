/**
 * Spoken opt-outs (FCC 24-17: consent may be revoked by any reasonable means, and must be
 * honoured at once), as data. Pattern syntax (phrase-pattern.ts): plain words match without case,
 * accents or apostrophes ("quíteme" = "quiteme", "don't" = "do not"); `(a|b)` one of; `[a|b]`
 * optional; `…` up to three words of anything. Every language's rows apply to every text.
 *
 * To add a phrase: add a row here and a fixture to packages/fixtures (bland/spoken-opt-out.json)
 * with the sentence as said; to stop a false positive, add a negator or a deferral the same way.
 * Heard in production (outcome-facts.md): "don't call me again", "remove me from your list",
 * "never call this number", "stop calling me", "take me off your calling list".
 */
export interface OptOutPhrases {
  /** What a lead says: first person, imperative. */
  spoken: readonly string[];
  /** What a summary writes about the lead (third person). */
  reported: readonly string[];
  /**
   * Words right before a phrase (at most one word between, no comma) that take it back:
   * "no, don't remove me", "please don't stop calling me". Repeating the phrase's own first words
   * ("no, no me llamen") is emphasis, not a negation.
   */
  negators: readonly string[];
  /**
   * Words up to four words before a phrase in the same clause that make it reported or offered
   * speech: "I didn't say stop calling me", "you can ask us to stop calling you".
   */
  distantNegators: readonly string[];
  /**
   * Words right after a phrase that make it about a moment, not for good: "don't call me
   * tomorrow, call me Monday". A phrase that already says "again", "anymore", "ever" is kept.
   */
  deferrals: readonly string[];
}

const OBJECT_WORDS = "me|us|this number|my number|my phone|my cell|here|this phone";
const OBJECT = `(${OBJECT_WORDS})`;
const FOR_GOOD = "[again|anymore|any more|ever again|ever|no more]";

export const ENGLISH: OptOutPhrases = {
  spoken: [
    `stop (calling|contacting|texting|bothering|harassing) [${OBJECT_WORDS}]`,
    `quit (calling|contacting|bothering) [${OBJECT_WORDS}]`,
    `do not [you] [ever] (call|contact|phone|ring|dial) ${OBJECT} [back] ${FOR_GOOD}`,
    "do not call back",
    "do not call again",
    `never (call|contact|dial) ${OBJECT} [again]`,
    "never call again",
    "(take|get|remove|put|delete|scratch|cross) (me|us|my number|my name|my info|my information|my phone number|this number) (off|from|out of) … list",
    "(remove|delete|erase|lose) (me|my number|my phone number|my name|my info|my information|this number)",
    "(put|add|place) (me|my number|this number|us) (on|to) … (do not call|dnc|no call|no calls) [list|registry]",
    "(i am|we are|this number is|my number is) on (the|your|a) … (do not call|dnc) (list|registry)",
    // Not a bare "opt out": "you can opt out at any time" is the agent's disclosure.
    "(unsubscribe me|opt me out|i opt out|i am opting out|(i|we) (want|wanna|would like|need) to (opt out|unsubscribe))",
    "(do not|never) want (you|anyone|y all|you guys|your company) to (call|contact) [me|us|this number] [again|anymore|any more|ever]",
    "(do not|never) want to be (called|contacted) [again|anymore|any more|ever]",
    "(do not|never) want (any more|anymore|no more|any|more) (calls|phone calls)",
    "no more (calls|phone calls)",
    "(revoke|withdraw) my consent",
  ],
  reported: [
    "(asked|asks|requested|requests|wants|wanted|demanded|told|instructed) [us|the agent|agent|the assistant|the caller|them|the rep] (to stop|stop) (calling|contacting)",
    "(asked|asks|requested|requests|wants|wanted|demanded) (not to be|to not be|not be|never to be|to never be) (called|contacted) [again|anymore|back]",
    "(asked|asks|requested|requests|wants|wanted|demanded) to be (removed|taken off|deleted|put on … do not call|placed on … do not call|added to … do not call|put on … dnc|placed on … dnc|added to … dnc)",
    "(asked|asks|requested|requests|told|instructed) [us|the agent|agent|the assistant|the caller|them] (not to call|never to call|to never call|to not call) [again|back|anymore]",
    "(asked|asks|requested|requests) [us|the agent|agent|the assistant|them] to remove (them|him|her|their number|his number|her number|the number) [from … list]",
    "(requested|requests|asked for|asks for) (removal|no further calls|no further contact|no more calls|do not call|dnc|to opt out)",
    "(opted out|revoked consent|revoked (his|her|their) consent|withdrew consent|withdrew (his|her|their) consent)",
    "do not call request",
  ],
  negators: [
    "(do not|did not|does not|has not|have not)",
    "(no need to|you do not have to|there is no need to)",
    "(declined|refused) to",
  ],
  distantNegators: [
    "(did not|never) (say|said|mean|meant|ask|asked|tell|told|want|wanted)",
    "(not|am not|was not|is not) (saying|asking|telling)",
    "(ask us to|you can ask|you may ask|you can always ask|feel free to ask|you can tell us to)",
    "(if you want us to|if you would like us to|would you like us to|do you want us to|do you want me to|want me to|should we|should i|shall we)",
  ],
  deferrals: [
    "(today|tonight|tomorrow|now|right now|this week|this morning|this afternoon|this evening|at work|before|until|till|after|during|on (monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekends|the weekend)|in the (morning|afternoon|evening)|so early|so late|at this time|at night|at this hour)",
  ],
};

const LLAMAR = "(llamar|llamarme|llamarnos|marcar|marcarme|contactar|contactarme|molestar|molestarme)";

export const SPANISH: OptOutPhrases = {
  spoken: [
    "no me (vuelvan|vuelva|vuelvas|vuelve) a (llamar|marcar|contactar|molestar)",
    "no (vuelvan|vuelva|vuelvas) a (llamarme|marcarme|contactarme|molestarme|llamar)",
    "no me (llamen|llame|llames|marquen|marque|contacten|contacte|molesten|moleste) [mas|nunca|nunca mas|otra vez|de nuevo|jamas]",
    "nunca me (vuelvan|vuelva) a llamar",
    `(dejen|deje|deja|dejar|paren|pare|para) de ${LLAMAR}`,
    "(quiteme|quitenme|quitame|saqueme|saquenme|sacame|borreme|borrenme|borrame|eliminenme|elimineme|eliminame) (de|del) … (lista|listas|sistema|base de datos)",
    "(quiten|quite|quita|saquen|saque|borren|borre|eliminen|elimine) (mi numero|mi telefono|mi nombre|mis datos) [de … (lista|sistema)]",
    "no (quiero|deseo|quiere|desea) que me (llamen|llame|vuelvan a llamar|sigan llamando|contacten)",
    "no (quiero|deseo) (recibir|mas) [mas] llamadas",
    "(pongame|ponganme|agregueme|agreguenme|anoteme|anotenme) en … (lista de no llamar|no llamar)",
    "(no mas|ya no mas) llamadas",
  ],
  reported: [],
  negators: ["no", "no hace falta"],
  distantNegators: [
    "(no|nunca) (dije|dijo|he dicho|le dije|les dije|pedi|pidio|quise decir)",
    "no estoy (diciendo|pidiendo)",
    "no es que",
    "(puede pedirnos|puede pedir que|si desea que|si quiere que|quiere que|desea que|si usted quiere que)",
  ],
  deferrals: [
    "(hoy|ahorita|ahora|manana|esta semana|esta tarde|esta noche|en la manana|en la tarde|en la noche|antes de|hasta|despues de|durante|al trabajo|en el trabajo|el (lunes|martes|miercoles|jueves|viernes|sabado|domingo))",
  ],
};

export const OPT_OUT_LANGUAGES: readonly OptOutPhrases[] = [ENGLISH, SPANISH];

/** Words in a matched phrase that say "for good": a deferral after them does not take it back. */
export const FOR_GOOD_WORDS: readonly string[] = [
  "again",
  "anymore",
  "ever",
  "never",
  "list",
  "registry",
  "mas",
  "nunca",
  "jamas",
  "lista",
];
