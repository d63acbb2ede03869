// seraug._core: the compiled half of the Python package (python/seraug/__init__.py is
// the other). seraug::Error becomes seraug.Error (a ValueError); an interrupted call
// raises KeyboardInterrupt (binding.hpp, run_interruptible).
#include "binding.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/tokens.hpp"
#include "seraug/version.hpp"

PYBIND11_MODULE(_core, m) {
  namespace py = pybind11;
  m.doc() = "seraug's library: feature extraction, evaluation, augmentation and models (use the seraug package)";
  m.attr("__version__") = seraug::kVersion;
  const auto& error = py::register_exception<seraug::Error>(m, "Error", PyExc_ValueError);
  // A missing input is a FileNotFoundError and a seraug.Error at once (FileNotFoundError
  // first in the bases, so that it behaves as an OSError). Registered after Error: the
  // translators are tried newest first.
  static py::handle missing, error_type;
  missing = PyErr_NewException("seraug._core.MissingFileError", py::make_tuple(py::handle(PyExc_FileNotFoundError), error).release().ptr(), nullptr);
  m.attr("MissingFileError") = missing;
  error_type = error;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const seraug::MissingFile& e) {
      PyErr_SetString(missing.ptr(), seraug::in_python_terms(e.what()).c_str());
    } catch (const seraug::Error& e) {
      // The library names parameters in backticks (`enroll_clips`): Python's spelling.
      PyErr_SetString(error_type.ptr(), seraug::in_python_terms(e.what()).c_str());
    }
  });
  seraug::python::bind_features(m);
  seraug::python::bind_models(m);
  seraug::python::bind_evaluation(m);
  seraug::python::bind_analysis(m);
}
