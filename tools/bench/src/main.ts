import { benchProgram } from "./dial-loop/command.ts";

/** `pnpm bench`: the dial-loop benchmark (`pnpm bench --help`). The other benches are scripts of their own (README). */
await benchProgram((line) => process.stdout.write(`${line}\n`)).parseAsync(process.argv);
