// The MIT PartA tests. `make partA` runs this file; SEED=<n> fixes the seed.
import { partA } from "./suites/index.ts";
import { runSuite } from "./support/suite.ts";

runSuite(partA);
