// The MIT PartB tests. `make partB` runs this file; SEED=<n> fixes the seed.
import { partB } from "./suites/index.ts";
import { runSuite } from "./support/suite.ts";

runSuite(partB);
