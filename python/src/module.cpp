// seraug._core: the compiled half of the Python package (python/seraug/__init__.py is
// the other). seraug::Error becomes seraug.Error (a ValueError); an interrupted call
// raises KeyboardInterrupt (binding.hpp, run_interruptible).
#include "binding.hpp"
#include "seraug/common/error.hpp"
#include "seraug/version.hpp"

PYBIND11_MODULE(_core, m) {
  namespace py = pybind11;
  m.doc() = "seraug's library: feature extraction, evaluation, augmentation and models (use the seraug package)";
  m.attr("__version__") = seraug::kVersion;
  py::register_exception<seraug::Error>(m, "Error", PyExc_ValueError);
  seraug::python::bind_features(m);
  seraug::python::bind_models(m);
  seraug::python::bind_evaluation(m);
}
