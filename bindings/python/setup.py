"""pip install ./bindings/python (offline: add --no-build-isolation; Debian's setuptools, wheel and
pybind11-dev are enough). The compiled module is built by CMake from this checkout, with libracetiming
linked in statically, so the installed package needs no libracetiming.so beside it."""

import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        # RACETIMING_BUILD_DIR keeps CMake's build between installs (the tests use one per build tree)
        build = pathlib.Path(os.environ.get("RACETIMING_BUILD_DIR") or pathlib.Path(self.build_temp).resolve() / "cmake")
        out = build / "python"
        jobs = os.environ.get("RACETIMING_JOBS", "2")
        configure = ["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                     "-DRACETIMING_SHARED=OFF", "-DRACETIMING_TESTS=OFF", "-DRACETIMING_BENCH=OFF",
                     "-DRACETIMING_PYTHON=ON", f"-DPython_EXECUTABLE={sys.executable}",
                     f"-DRACETIMING_PYTHON_OUTPUT_DIR={out}"]
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "racetiming_python", "-j", jobs], check=True)
        built = next((out / "racetiming").glob("_racetiming*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(
    name="racetiming",
    version="0.1.0",
    description="Multi-tenant race-timing data: results, questions in plain English, imports",
    packages=["racetiming"],
    package_data={"racetiming": ["py.typed", "*.pyi"]},
    ext_modules=[CMakeExtension("racetiming._racetiming")],
    cmdclass={"build_ext": CMakeBuild},
    python_requires=">=3.9",
    zip_safe=False,
)
