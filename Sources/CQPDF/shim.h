// qpdf's C API catches every C++ exception itself, so Swift calls it directly (docs/engines.md).
#include <qpdf/qpdf-c.h>
#include <qpdf/qpdfjob-c.h>
#include <qpdf/qpdflogger-c.h>
