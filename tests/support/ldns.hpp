#pragma once

// ldns defines bool/true/false as macros in C++; include it only through this header.
#include <ldns/ldns.h>
#include <stdbool.h>
#undef bool
#undef true
#undef false
