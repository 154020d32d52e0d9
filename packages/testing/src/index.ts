/**
 * The test and bench harness shared by every package: the global setup (one migrated template
 * database per run) and, in later files, the in-process stack. Not part of the product.
 */
export {};
