/**
 * Patterns the OpenAPI document gives to text fields whose rule is code, not a regex,
 * so a client's validator refuses what the server refuses. Each says in
 * JSON Schema (ECMA-262 regex syntax) what the check next to it does; the unit test
 * test/unit/documentedPatterns.test.ts holds each pattern to its check.
 */

/**
 * Not blank: a character besides white space, what `.trim().min(1)` accepts (`\s` is
 * exactly the white space String.prototype.trim removes). No NUL either: the server
 * refuses it anywhere (src/api/shared/nulCharacters.ts), and this pattern is the only
 * one such a field has.
 */
export const NOT_BLANK_PATTERN = '^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$';
