// A node:test reporter that prints nothing until the run ends, then every failed test with its
// file and the error that failed it (message, cause and the first lines of the stack).
//
// With three files at a time and long TAP output, a CI log that keeps only its tail loses the
// error of a test that failed early; this summary is the last thing the run prints.

const STACK_LINES = 8;

/** The error a test failed with: node:test wraps it in ERR_TEST_FAILURE with the original as
 * `cause`. */
function describe(error) {
  const original = error?.code === 'ERR_TEST_FAILURE' && error.cause ? error.cause : error;
  if (!original) return 'no error recorded';
  const lines = [];
  let stack;
  try {
    stack = typeof original.stack === 'string' ? original.stack.split('\n') : [String(original)];
  } catch {
    stack = ['an error that has no text'];
  }
  lines.push(...stack.slice(0, STACK_LINES));
  // ethers and @polkadot/api put the node's answer on the error, not in its message.
  for (const field of ['code', 'shortMessage', 'info', 'error', 'cause']) {
    if (original[field] === undefined || field === 'cause' && original.cause === error) continue;
    let text;
    try {
      text = typeof original[field] === 'string' ? original[field] : JSON.stringify(original[field], (_, v) => {
        if (typeof v === 'bigint') return v.toString();
        // JSON drops an Error's message and stack.
        if (v instanceof Error) return { name: v.name, message: v.message, code: v.code };
        return v;
      });
    } catch {
      text = String(original[field]);
    }
    lines.push(`${field}: ${text?.slice(0, 2_000)}`);
  }
  return lines.join('\n');
}

export default async function* failures(source) {
  const failed = [];
  for await (const { type, data } of source) {
    // Hooks and suites fail as tests too; only leaves carry the original error.
    if (type === 'test:fail' && data.details?.error?.failureType !== 'subtestsFailed') {
      failed.push({ name: data.name, file: data.file, duration: data.details?.duration_ms, error: data.details?.error });
    }
  }
  if (failed.length === 0) return;
  yield `\n# ${failed.length} failed test(s), with their errors:\n`;
  for (const { name, file, duration, error } of failed) {
    yield `\n## ${file ?? '?'}: ${name} (${Math.round(duration ?? 0)} ms)\n${describe(error)}\n`;
  }
}
