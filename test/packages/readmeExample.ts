/** A package README's runnable example: the first fenced code block under its `## Example` heading. */
export interface ReadmeExample {
  /** The fence's language: `js` (run with node as an ES module) or `sh` (commands). */
  language: string;
  code: string;
}

/** The example of a README, or null when it has no `## Example` section with a fenced block. */
export function readmeExample(readme: string): ReadmeExample | null {
  const section = readme.split(/^## /m).find((s) => /^Example\b/.test(s));
  const block = section?.match(/^```(\w+)\n([\s\S]*?)^```/m);
  return block ? { language: block[1], code: block[2] } : null;
}
