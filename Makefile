# `sam build` calls these targets (BuildMethod: makefile in template.yaml) with ARTIFACTS_DIR set.
# They package without running the tests, with a JDK 21+ found by ./dev; run `./dev test` for the tests.
build-CancelResourceRequestFunction:
	./dev package "$(ARTIFACTS_DIR)"

build-SweepFunction:
	./dev package "$(ARTIFACTS_DIR)"
