// The MIT PartC tests. `make partC` runs this file; SEED=<n> fixes the seed.
import { partC } from "./suites/index.ts";
import { runSuite } from "./support/suite.ts";

runSuite(partC);
