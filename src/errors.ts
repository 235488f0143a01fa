/** One catalogue of error codes and message templates. */
export const ERROR_MESSAGES = {
  KNOWLEDGE_INVALID: "知识库文件无效 (invalid knowledge file)",
  KNOWLEDGE_DUPLICATE_ID: "知识库条目 id 重复 (duplicate entry id)",
  KNOWLEDGE_EMPTY: "知识库为空 (no knowledge entries found)",
  RULES_INVALID: "合规规则文件无效 (invalid rules file)",
  CONFIG_INVALID: "配置无效 (invalid configuration)",
  INGEST_UNREADABLE: "无法读取文件 (unreadable file)",
  INPUT_EMPTY: "内容为空 (empty input)",
  INPUT_TOO_LONG: "内容过长 (input too long)",
  PROMPT_INVALID: "提示词文件无效 (invalid prompt file)",
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export class CoachError extends Error {
  readonly code: ErrorCode;
  readonly details: string[];
  constructor(code: ErrorCode, details: string[] = []) {
    super([ERROR_MESSAGES[code], ...details.map((d) => `  - ${d}`)].join("\n"));
    this.name = "CoachError";
    this.code = code;
    this.details = details;
  }
}
