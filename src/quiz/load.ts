import { CoachError } from "../errors.ts";
import { loadYamlItems } from "../knowledge/yaml-files.ts";
import { type QuizQuestion, quizQuestionSchema } from "./schema.ts";

/** Load the quiz bank; every question must name an existing entry and have a unique id. */
export function loadQuiz(dir: string, entryIds: ReadonlySet<string>): QuizQuestion[] {
  const { items, errors } = loadYamlItems(dir, quizQuestionSchema);
  const seen = new Set<string>();
  for (const { file, value } of items) {
    if (seen.has(value.id)) errors.push(`${file}: id: "${value.id}" used twice`);
    seen.add(value.id);
    if (!entryIds.has(value.entry))
      errors.push(`${file}: ${value.id}: entry: unknown entry id "${value.entry}"`);
  }
  if (errors.length) throw new CoachError("KNOWLEDGE_INVALID", errors);
  return items.map((i) => i.value);
}
