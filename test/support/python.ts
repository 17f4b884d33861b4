// Python itself as the reference reader: exec vm.cfg files as `xm create` did and return their values.
// Used only by tests, on their own files; the product never executes a vm.cfg.
import { spawnSync } from "node:child_process";

/** Whether python3 can be run here (CI requires it through OVM_DEPS_REQUIRE_TOOLS=1). */
export const havePython = spawnSync("python3", ["--version"]).status === 0;

if (!havePython && process.env.OVM_DEPS_REQUIRE_TOOLS === "1") {
  throw new Error("OVM_DEPS_REQUIRE_TOOLS=1 but python3 is missing");
}

const script = String.raw`
import json, sys
def to_json(v):
    if isinstance(v, (list, tuple)): return [to_json(x) for x in v]
    if isinstance(v, dict): return {(k if isinstance(k, str) else repr(k)): to_json(x) for k, x in v.items()}
    if isinstance(v, bytes): return v.decode('latin-1')
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53 - 1: return str(v)
    return v
out = {}
for path in json.load(sys.stdin):
    try:
        scope = {}
        exec(compile(open(path, 'rb').read().decode('utf-8-sig'), path, 'exec'), {'__builtins__': {}}, scope)
        out[path] = {'ok': True, 'values': {k: to_json(v) for k, v in scope.items()}}
    except Exception as e:
        out[path] = {'ok': False, 'error': type(e).__name__}
json.dump(out, sys.stdout)
`;

/** What Python made of one file: its values, or the exception it raised. */
export type PythonReading = { ok: true; values: Record<string, unknown> } | { ok: false; error: string };

/** Exec each file with python3 (one process for all of them). */
export function pythonValues(files: readonly string[]): Record<string, PythonReading> {
  const result = spawnSync("python3", ["-c", script], {
    input: JSON.stringify(files),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, PythonReading>;
}
