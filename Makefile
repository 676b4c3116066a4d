# The two commands a user needs: `make demo` and `make test`. Both set up a fresh machine.
BUILD ?= build
CMAKE_FLAGS ?=

.PHONY: all setup build demo test unit e2e down clean

all: build

setup:
	@scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null
	@ninja -C $(BUILD)

# The main job: a local control plane, modelgate installed with Helm, two models validated
# (one passes, one fails) and a Deployment of each (one admitted, one refused).
demo: build
	@scripts/demo.sh $(BUILD)

# Every test: unit tests, then the end-to-end scenarios on the local control plane.
test: build
	@scripts/test.sh $(BUILD)

unit: build
	@ctest --test-dir $(BUILD) -L unit --output-on-failure

e2e: build
	@ctest --test-dir $(BUILD) -L e2e --output-on-failure

# Stops the demo's control plane.
down:
	@scripts/demo.sh $(BUILD) --down

clean:
	rm -rf $(BUILD)
