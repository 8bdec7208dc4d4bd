// Confinement of student code: a submission runs in a realm of its own and reaches only the
// lab API (see docs/GRADING.md, "Confinement", and docs/DECISIONS.md).
import type { RaftModule } from "../raft/api.ts";
import { confine } from "./boundary.ts";
import { compileSubmission, SubmissionError, type CompiledSubmission } from "./compile.ts";
import { createRealm } from "./realm.ts";

export { compileSubmission, compileKernel, resolveImport, SubmissionError, LAB_API_SENTENCE, type CompiledSubmission } from "./compile.ts";

/** Runs a compiled submission in a fresh sandbox realm and returns its module as the tester calls it. */
export function instantiate(compiled: CompiledSubmission): RaftModule {
  const realm = createRealm(compiled.kernel);
  let exports: Record<string, unknown>;
  try {
    exports = realm.evaluate(compiled.code, compiled.file);
  } catch (e) {
    throw new SubmissionError(e !== null && typeof e === "object" && "message" in e ? String(e.message) : String(e));
  }
  return confine(realm.api, exports.Make);
}

/** compileSubmission + instantiate. */
export async function loadConfined(file: string): Promise<RaftModule> {
  return instantiate(await compileSubmission(file));
}
