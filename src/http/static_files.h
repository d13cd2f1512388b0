#pragma once

// The dashboard's static assets (web/dist, built by Vite), served from memory at GET / (the
// page), /assets/<file> (hashed names, cached for a year) and /<file> for the few top-level
// files. All public: the page itself holds no data; the API behind it checks every call.
//
// The folder is read once, at start (at most 64 MiB, regular files only, no symbolic links
// followed out of it). When it is missing, GET / says plainly that the dashboard is not built
// and how to build it.
//
// Thread safety: call before the router is handed to a Server.

#include <filesystem>

#include "http/router.h"

namespace vigil::http {

// Returns how many files were loaded (0 when the folder is missing).
std::size_t AddStaticRoutes(Router& router, const std::filesystem::path& web_root);

}  // namespace vigil::http
