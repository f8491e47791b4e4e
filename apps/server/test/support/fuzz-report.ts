import { excerpt, type FuzzInput } from "./fuzz-inputs.ts";
import { appCodeOf, judge } from "./fuzz-oracle.ts";
import type { Answer } from "./fuzz-send.ts";

/**
 * What the fuzz run saw: every answer tallied by operation and status, and every answer the
 * oracle refused kept with its input, so one run reports all its findings together.
 */

export interface Finding {
  operation: string;
  input: FuzzInput;
  status: number;
  problems: string[];
  answer: string;
}

export function fuzzReport() {
  const tallies = new Map<string, Map<string, number>>();
  const findings: Finding[] = [];

  const record = (operation: string, input: FuzzInput, answer: Answer) => {
    const tally = tallies.get(operation) ?? new Map<string, number>();
    tallies.set(operation, tally);
    const key = answer.status >= 400 ? `${answer.status} ${appCodeOf(answer) ?? "?"}` : String(answer.status);
    tally.set(key, (tally.get(key) ?? 0) + 1);
    const problems = judge(answer);
    if (problems.length > 0)
      findings.push({ operation, input, status: answer.status, problems, answer: excerpt(answer.error ?? answer.text, 300) });
  };

  /** Answers per operation, and how many of them were 429 and 2xx. */
  const counts = () =>
    [...tallies].map(([operation, tally]) => {
      const entries = [...tally];
      const sum = (match: (key: string) => boolean) => entries.filter(([key]) => match(key)).reduce((n, [, c]) => n + c, 0);
      return {
        operation,
        total: sum(() => true),
        limited: sum((key) => key.startsWith("429")),
        succeeded: sum((key) => key.startsWith("2")),
      };
    });

  /** One line per operation: its answers by status and code, most frequent first. */
  const summary = () =>
    [...tallies]
      .map(([operation, tally]) => {
        const parts = [...tally].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key}×${n}`);
        return `${operation}: ${parts.join(", ")}`;
      })
      .join("\n");

  /** The findings grouped by operation and problem, three examples each. */
  const describeFindings = () => {
    const groups = new Map<string, Finding[]>();
    for (const finding of findings) {
      const key = `${finding.operation} — ${finding.problems.join("; ")}`;
      groups.set(key, [...(groups.get(key) ?? []), finding]);
    }
    return [...groups].map(([key, group]) => {
      const examples = group.slice(0, 3).map((f) => {
        const body = f.input.body === undefined ? "" : `\n      body ${excerpt(f.input.body, 160)}`;
        return `    [${f.input.label}] ${excerpt(f.input.target, 160)}${body}\n      → ${f.status} ${f.answer}`;
      });
      return `${key} (${group.length}×)\n${examples.join("\n")}`;
    });
  };

  return { record, counts, summary, findings, describeFindings };
}
