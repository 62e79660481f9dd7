//===- Datasets.h - NumPy .npy and IDX (MNIST) files ------------*- C++ -*-===//
//
// Readers for the data formats tinyq-run takes, and a .npy writer. Plain
// C++17 plus zlib; every malformed or truncated file is an error message,
// never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_SUPPORT_DATASETS_H
#define TINYQ_SUPPORT_DATASETS_H

#include <cstdint>
#include <string>
#include <vector>

namespace tinyq {

enum class ElementKind { Float32, UInt8, Int8, Int32, Int64 };

/// A dense row-major array read from a file.
struct Array {
  ElementKind kind = ElementKind::Float32;
  std::vector<int64_t> shape;
  /// The elements' bytes, little-endian.
  std::vector<uint8_t> bytes;

  int64_t getNumElements() const;
  /// The elements converted to float (for Float32 and UInt8/Int8 data).
  std::vector<float> toFloats(float scale = 1.0f) const;
  /// The elements converted to int64 (for integer data).
  std::vector<int64_t> toIntegers() const;
};

/// Reads a .npy file (format versions 1-3, C order, little-endian
/// float32/uint8/int8/int32/int64), or an IDX file (gzipped or not) of
/// unsigned bytes; the format is chosen by the file's first bytes. Returns
/// an empty string on success, else the reason.
std::string readArray(const std::string &path, Array &array);

/// Writes float32 data of \p shape as a version 1 .npy file.
std::string writeNpy(const std::string &path, const std::vector<int64_t> &shape,
                     const std::vector<float> &data);

} // namespace tinyq

#endif // TINYQ_SUPPORT_DATASETS_H
