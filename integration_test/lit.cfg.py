# -*- Python -*-
# The TinyQ integration suite: models compiled and run end to end, on the
# host (host/) and in QEMU's Cortex-M boards (cortex-m/). It shares the
# FileCheck suite's tools, substitutions and features (test/lit.cfg.py);
# the Python helpers and inputs its tests use sit beside the folders.

import os

lit_config.load_config(
    config, os.path.join(config.tinyq_src_root, "test", "lit.cfg.py"))

config.name = "TinyQ-Integration"
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tinyq_obj_root, "integration_test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in",
                   "Inputs", "__pycache__"]
