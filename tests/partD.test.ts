// The MIT PartD tests. `make partD` runs this file; SEED=<n> fixes the seed.
import { partD } from "./suites/index.ts";
import { runSuite } from "./support/suite.ts";

runSuite(partD);
