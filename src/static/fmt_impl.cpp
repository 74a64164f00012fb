// Debian ships fmt as a shared library only (no libfmt.a), so the static
// build (OBSLINT_STATIC / -Dstatic=true) compiles fmt's out-of-line
// functions here, once, from Debian's headers, instead of linking
// libfmt.so. Defining FMT_HEADER_ONLY everywhere would do the same but
// compiles those functions into every translation unit (a build 2-3 times
// slower). Built only in static builds; dynamic builds link libfmt.so.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {
// The templates format.h declares `extern template` for the library.
template auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template auto thousands_sep_impl<wchar_t>(locale_ref) -> thousands_sep_result<wchar_t>;
template auto decimal_point_impl<char>(locale_ref) -> char;
template auto decimal_point_impl<wchar_t>(locale_ref) -> wchar_t;
}  // namespace detail
FMT_END_NAMESPACE
