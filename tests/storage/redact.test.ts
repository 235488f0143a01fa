import { describe, expect, it } from "vitest";
import { redact } from "../../src/text/redact.ts";

describe("redact", () => {
  it.each([
    ["客户手机13812345678不接", "客户手机[PHONE]不接"],
    ["电话 +86 138 1234 5678", "电话 [PHONE]"],
    ["座机010-87654321", "座机[PHONE]"],
    ["身份证110101199003071234号", "身份证[ID]号"],
    ["身份证11010119900307123X", "身份证[ID]"],
    ["卡号6222 0212 3456 7890 123", "卡号[CARD]"],
    ["卡号6222021234567890", "卡号[CARD]"],
    ["欠款3000元，逾期45天", "欠款3000元，逾期45天"],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });
});
