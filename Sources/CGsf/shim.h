// libgsf reads OLE2 compound files (Outlook .msg); only CMail's C code calls it, this module
// carries its pkg-config flags to that target.
#include <gsf/gsf.h>
