// Cooperative interruption: SIGINT/SIGTERM set a flag that long loops (files, folds,
// epochs, experiment cells) check between units of work. They then throw Interrupted,
// whose unwinding removes temporary output files, so a stopped command keeps what it had
// finished, leaves nothing half-written, and exits with status 130.
#pragma once

#include "seraug/common/error.hpp"

namespace seraug {

class Interrupted : public Error {
 public:
  Interrupted() : Error("interrupted; finished work was kept (rerun to resume where supported)") {}
};

// Installs the SIGINT/SIGTERM handlers (the CLI does this at start-up).
void install_interrupt_handlers();
bool interrupted();
void request_interrupt();  // as if a signal had arrived (tests)
void clear_interrupt();
// Throws Interrupted if a signal arrived.
void check_interrupt();

}  // namespace seraug
