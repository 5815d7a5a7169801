#pragma once

// ldns defines bool/true/false as macros in C++; xfr/ includes it only through this header.
#include <ldns/ldns.h>
#include <stdbool.h>
#undef bool
#undef true
#undef false
