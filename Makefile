# Thin wrapper over the scripts in scripts/, which are the source of truth.
.PHONY: deps build check demo docs

deps:
	bash scripts/install-deps.sh

build:
	bash scripts/build.sh

check:
	bash scripts/check.sh

demo:
	bash scripts/demo.sh

docs: build
	cmake --build build --target tinyq-update-doc
