// Worker-thread entry for the pool: register the TypeScript loader, then run jobs.
import { register } from "tsx/esm/api";

register();
const { runJob } = await import("./job.ts");

export default function (job) {
  return runJob(job);
}
