/*
 * The one version of all three programs (--version prints it). Bump it
 * with a release; doc/upgrading.md says what each version changes.
 */
#ifndef VERSION_H
#define VERSION_H

#define SI_VERSION	"0.14.0"

#endif
