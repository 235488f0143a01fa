import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { Coach } from "../src/core/coach.ts";

export const FIXTURES = join(import.meta.dirname, "fixtures");

let shared: Coach | undefined;
/** One Coach over the shipped knowledge base, shared by the tests of a worker. */
export function realCoach(): Coach {
  shared ??= new Coach();
  return shared;
}

export function readYamlFixture<T>(name: string): T {
  return parse(readFileSync(join(FIXTURES, name), "utf8")) as T;
}
