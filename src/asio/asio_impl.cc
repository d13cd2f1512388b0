// The one translation unit that compiles Boost.Asio, Asio's SSL layer and Boost.Beast.
//
// Every other file that uses them sees only declarations (BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION come from this target), so the heavy implementation is built
// once instead of in each file that includes an Asio or Beast header.

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility> (TOOLCHAIN.md).
#include <utility>
// The rest after it.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
