// GMime 3 parses MIME messages (.eml); only CMail's C code calls it, this module carries its
// pkg-config flags to that target.
#include <gmime/gmime.h>
