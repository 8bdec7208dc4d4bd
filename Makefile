# raftlab — the MIT 6.5840 Raft lab on a deterministic simulator.
# Every target installs what it needs first (npm ci when node_modules is missing or stale).
#   make partA … make partD   one part's MIT tests (SEED=<n> fixes the seed)
#   make scenarios            the scenario bank beyond MIT (docs/SCENARIOS.md; SEED=, RAFT_IMPL=)
#   make test                 type-check, unit tests and all 28 MIT tests
#   make bench                simulator, network and codec benchmarks; both Rafts' whole suite
#   make run                  all 28 tests over many seeds in parallel (SEEDS=, WORKERS=, PART=)
#   make soak                 all 28 tests over seeds 1..SEEDS: the per-test pass counts
#   make race                 the same in heavy scheduling mode (go() tasks also start 0–5 ms late)
#   make replay TEST=… SEED=… replay one test exactly, with per-peer log columns
#   make grade SUBMISSION=…   grade a submission (or IMPL=, CLASS=; SEEDS=, JSON=, JUNIT=, CSV=, FAIL_UNDER=)
#   make handout              write the student skeleton to handout/
SHELL := /bin/bash
NPM_STAMP := node_modules/.package-lock.json
# vitest colours every stream unless NO_COLOR is set (even a pipe, a file, a CI log):
# colour only for a terminal outside CI, or when FORCE_COLOR asks for it.
PLAIN := $$( { [ -n "$$FORCE_COLOR" ] && [ "$$FORCE_COLOR" != 0 ]; } || { [ -t 1 ] && [ -z "$$CI" ]; } || echo NO_COLOR=1 )
VITEST := env $(PLAIN) node_modules/.bin/vitest
RAFTLAB := node bin/raftlab.mjs
SEEDS ?= 20
OUT ?= handout

.PHONY: all install test typecheck unit partA partB partC partD scenarios kill-matrix bench run soak race replay grade handout clean

all: test

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NPM_STAMP)

install: $(NPM_STAMP)

typecheck: install
	npx tsc --noEmit -p .
	npx tsc -p src/cli/timeline-page.tsconfig.json

test: install typecheck
	$(VITEST) run

unit: install
	$(VITEST) run --exclude 'tests/part*.test.ts'

# Like go test, the tests run only once src/raft type-checks (src/cli/typecheck-raft.ts).
partA partB partC partD: install
	@npx tsx src/cli/typecheck-raft.ts
	$(VITEST) run tests/$@.test.ts

scenarios: install
	$(VITEST) run tests/scenarios.test.ts

# Every broken Raft against every MIT test and scenario over SEEDS seeds (long: docs/BROKEN.md)
kill-matrix: install
	npx tsx bench/kill-matrix.ts --seeds $(SEEDS) $(if $(WORKERS),--workers $(WORKERS))

bench: install
	npx tsx bench/run.ts
	npx tsx bench/codec.ts
	npx tsx bench/workload.ts $(or $(SEED),1)
	npx tsx bench/figures.ts $(or $(SEED),1)

run: install
	$(RAFTLAB) run --seeds $(SEEDS) $(if $(WORKERS),--workers $(WORKERS)) $(if $(PART),--part $(PART))

soak: install
	$(RAFTLAB) run --seeds $(SEEDS) --base 1 $(if $(WORKERS),--workers $(WORKERS))

race: install
	$(RAFTLAB) run --race --seeds $(SEEDS) --base 1 $(if $(WORKERS),--workers $(WORKERS))

replay: install
	@test -n "$(TEST)" -a -n "$(SEED)" || { echo "usage: make replay TEST=TestBackupPartB SEED=42"; exit 2; }
	$(RAFTLAB) replay $(TEST) --seed $(SEED) --log $(if $(IMPL),--impl $(IMPL))

grade: install
	@test -n "$(IMPL)$(SUBMISSION)$(CLASS)" || { echo "usage: make grade SUBMISSION=path/to/student-repo (or IMPL=path/to/raft.ts, or CLASS=dir CSV=class.csv) [SEEDS=20] [JSON=report.json] [JUNIT=junit.xml] [FAIL_UNDER=score]"; exit 2; }
	$(RAFTLAB) grade $(if $(SUBMISSION),--submission $(SUBMISSION))$(if $(IMPL),--impl $(IMPL))$(if $(CLASS),--class $(CLASS)) --seeds $(SEEDS) $(if $(JSON),--json $(JSON)) $(if $(JUNIT),--junit $(JUNIT)) $(if $(CSV),--csv $(CSV)) $(if $(FAIL_UNDER),--fail-under $(FAIL_UNDER))

handout: install
	$(RAFTLAB) handout --out $(OUT) --force

clean:
	rm -rf results handout
