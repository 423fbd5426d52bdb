// ACG2VEC_API marks what the shared library exports. The library is built with hidden
// visibility (and a linker version script), so only annotated classes and functions, and the
// C functions of capi/acg2vec.h, are part of its interface; the dependencies compiled into it
// (stb, hnswlib, nlohmann, the inline parts of libtorch) stay private.
//
// Annotate a class when it has member functions defined inside the library (its vtable and
// typeinfo are then exported too, so `catch (const acg2vec::Error&)` works across the
// boundary); plain aggregates with inline members need nothing. Define ACG2VEC_STATIC when
// linking acg2vec into a program statically: the macro is then empty.
#pragma once

// capi/acg2vec.h defines the same macro with the same text, so either header may come first.
#ifndef ACG2VEC_API
#if defined(ACG2VEC_STATIC)
#define ACG2VEC_API
#elif defined(__GNUC__) || defined(__clang__)
#define ACG2VEC_API __attribute__((visibility("default")))
#else
#define ACG2VEC_API
#endif
#endif
