//===- DatasetsTest.cpp - .npy and IDX readers ----------------------------===//

#include "tinyq/Support/Datasets.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

using namespace tinyq;

namespace {
std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "/tinyq-datasets-" + name;
}

void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(bytes.data(), std::streamsize(bytes.size()));
}

/// A raw IDX file of unsigned bytes with the given dims.
std::string idxBytes(const std::vector<uint32_t> &dims,
                     const std::string &data) {
  std::string bytes = {0, 0, 0x08, char(dims.size())};
  for (uint32_t dim : dims)
    for (int shift : {24, 16, 8, 0})
      bytes.push_back(char((dim >> shift) & 0xff));
  return bytes + data;
}
} // namespace

// Every element kind survives write -> read, and converts by value.
TEST(Datasets, NpyRoundTripsEveryKind) {
  const ElementKind kinds[] = {
      ElementKind::Float16, ElementKind::Float32, ElementKind::Float64,
      ElementKind::Bool,    ElementKind::Int8,    ElementKind::UInt8,
      ElementKind::Int16,   ElementKind::UInt16,  ElementKind::Int32,
      ElementKind::UInt32,  ElementKind::Int64,   ElementKind::UInt64};
  const double values[] = {0, 1, 2, 3, 100, 7};
  for (ElementKind kind : kinds) {
    Array array;
    array.kind = kind;
    array.shape = {2, 3};
    array.bytes.resize(6 * getElementSize(kind));
    for (size_t i = 0; i < 6; ++i)
      writeElement(kind, array.bytes.data(), i,
                   kind == ElementKind::Bool ? (values[i] != 0) : values[i]);
    std::string path = tempPath("kind.npy");
    ASSERT_EQ(writeNpy(path, array), "");
    Array read;
    ASSERT_EQ(readArray(path, read), "");
    EXPECT_EQ(read.kind, kind);
    EXPECT_EQ(read.shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(read.bytes, array.bytes);
    Array floats = read.convertTo(ElementKind::Float32);
    for (size_t i = 0; i < 6; ++i)
      EXPECT_EQ(readElement(ElementKind::Float32, floats.bytes.data(), i),
                kind == ElementKind::Bool ? double(values[i] != 0) : values[i]);
  }
}

TEST(Datasets, HalfConversionIsExactForHalves) {
  // Every finite half value survives half -> float -> half.
  uint8_t bytes[2];
  for (uint32_t bits = 0; bits < 0x10000; ++bits) {
    uint32_t exponent = (bits >> 10) & 0x1f;
    if (exponent == 0x1f)
      continue; // inf and NaN
    bytes[0] = uint8_t(bits & 0xff);
    bytes[1] = uint8_t(bits >> 8);
    double value = readElement(ElementKind::Float16, bytes, 0);
    uint8_t back[2];
    writeElement(ElementKind::Float16, back, 0, value);
    ASSERT_EQ(back[0] | (back[1] << 8), int(bits)) << value;
  }
}

TEST(Datasets, IntegerScaleAppliesToFloatTargetsOnly) {
  Array pixels;
  pixels.kind = ElementKind::UInt8;
  pixels.shape = {3};
  pixels.bytes = {0, 51, 255};
  Array scaled = pixels.convertTo(ElementKind::Float32, 1.0 / 255.0);
  EXPECT_FLOAT_EQ(readElement(ElementKind::Float32, scaled.bytes.data(), 1),
                  0.2f);
  Array wide = pixels.convertTo(ElementKind::Int32, 1.0 / 255.0);
  EXPECT_EQ(readElement(ElementKind::Int32, wide.bytes.data(), 2), 255);
  // Out-of-range values saturate.
  Array big;
  big.kind = ElementKind::Float32;
  big.shape = {2};
  big.bytes.resize(8);
  writeElement(ElementKind::Float32, big.bytes.data(), 0, 1000.0);
  writeElement(ElementKind::Float32, big.bytes.data(), 1, -1000.0);
  Array narrow = big.convertTo(ElementKind::Int8);
  EXPECT_EQ(readElement(ElementKind::Int8, narrow.bytes.data(), 0), 127);
  EXPECT_EQ(readElement(ElementKind::Int8, narrow.bytes.data(), 1), -128);
}

TEST(Datasets, ReadsIdxPlainAndGzipped) {
  std::string raw = idxBytes({2, 2, 3}, std::string("\x01\x02\x03\x04\x05\x06"
                                                    "\x07\x08\x09\x0a\x0b\xff",
                                                    12));
  std::string path = tempPath("images-idx3-ubyte");
  writeBytes(path, raw);
  Array plain;
  ASSERT_EQ(readArray(path, plain), "");
  EXPECT_EQ(plain.kind, ElementKind::UInt8);
  EXPECT_EQ(plain.shape, (std::vector<int64_t>{2, 2, 3}));
  EXPECT_EQ(plain.bytes.back(), 255);

  std::string gzPath = path + ".gz";
  gzFile gz = gzopen(gzPath.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  ASSERT_EQ(gzwrite(gz, raw.data(), unsigned(raw.size())), int(raw.size()));
  gzclose(gz);
  Array unzipped;
  ASSERT_EQ(readArray(gzPath, unzipped), "");
  EXPECT_EQ(unzipped.bytes, plain.bytes);
  EXPECT_EQ(unzipped.shape, plain.shape);
}

TEST(Datasets, MalformedFilesAreErrors) {
  auto error = [](const std::string &name, const std::string &bytes) {
    std::string path = tempPath(name);
    writeBytes(path, bytes);
    Array array;
    return readArray(path, array);
  };
  EXPECT_NE(error("missing", "").find("neither a .npy nor an IDX"),
            std::string::npos);
  EXPECT_NE(error("short-idx", idxBytes({10}, "abc")).find("declares 10"),
            std::string::npos);
  EXPECT_NE(
      error("huge-idx", idxBytes({0xffffffff, 0xffffffff, 0xffffffff}, ""))
          .find("declares"),
      std::string::npos);
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': "
                       "(4, ), }";
  std::string npy = std::string("\x93NUMPY\x01\x00", 8) + char(header.size()) +
                    '\0' + header + "abc";
  EXPECT_NE(error("short-npy", npy).find("declares 4 elements"),
            std::string::npos);
  std::string complexHeader =
      "{'descr': '<c8', 'fortran_order': False, 'shape': (1, ), }";
  EXPECT_NE(error("complex-npy", std::string("\x93NUMPY\x01\x00", 8) +
                                     char(complexHeader.size()) + '\0' +
                                     complexHeader + "12345678")
                .find("unsupported .npy element type '<c8'"),
            std::string::npos);
  // A 10-byte gzip header, then no deflate data / an invalid block type.
  std::string gzipHeader("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
  EXPECT_NE(error("truncated-gzip", gzipHeader).find("is truncated"),
            std::string::npos);
  EXPECT_NE(error("bad-gzip", gzipHeader + "\xff\xff\xff\xff")
                .find("not a valid gzip file"),
            std::string::npos);
  Array array;
  EXPECT_NE(readArray(tempPath("does-not-exist"), array).find("cannot open"),
            std::string::npos);
}
