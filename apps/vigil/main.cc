// The `vigil` binary: the composition root. All behaviour lives in the modules.

#include "cli/app.h"

int main(int argc, char** argv) { return vigil::cli::Run(argc, argv); }
