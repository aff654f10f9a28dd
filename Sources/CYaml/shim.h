#ifndef FLOWGUARD_CYAML_SHIM_H
#define FLOWGUARD_CYAML_SHIM_H
#include <yaml.h>
#endif
