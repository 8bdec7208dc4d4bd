export { Persister, MakePersister } from "./persister.ts";
