//===- ImportTFLite.cpp - TFLite model importer ---------------------------===//
//
// TFLite's schema file is not packaged, so this file declares the subset of
// the published schema (tensorflow/lite/schema/schema.fbs, version 3) that
// TinyQ reads, as accessors over flatbuffers::Table with field ids from the
// schema. Every table is checked by the flatbuffers Verifier before any field
// is read, and every index and size in the file is checked before use.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontend.h"
#include "tinyq/Import/TFLite.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <flatbuffers/flatbuffers.h>

#include <cmath>
#include <limits>

using namespace mlir;
using namespace tinyq;

//===----------------------------------------------------------------------===//
// Schema subset
//===----------------------------------------------------------------------===//

namespace {
namespace schema {
using flatbuffers::Offset;
using flatbuffers::String;
using flatbuffers::Table;
using flatbuffers::Vector;
using flatbuffers::Verifier;
using flatbuffers::voffset_t;

/// The vtable slot of field \p id.
constexpr voffset_t slot(int id) { return voffset_t(4 + 2 * id); }

template <typename T>
const Vector<T> *vectorField(const Table *table, int id) {
  return table->GetPointer<const Vector<T> *>(slot(id));
}

/// Verifies an optional vector field.
template <typename T>
bool verifyVector(const Table *table, Verifier &verifier, int id) {
  return table->VerifyOffset(verifier, slot(id)) &&
         verifier.VerifyVector(vectorField<T>(table, id));
}

/// Verifies an optional string field.
inline bool verifyString(const Table *table, Verifier &verifier, int id) {
  return table->VerifyOffset(verifier, slot(id)) &&
         verifier.VerifyString(table->GetPointer<const String *>(slot(id)));
}

// table Buffer { data:[ubyte]; offset:ulong; size:ulong; }
struct Buffer : Table {
  const Vector<uint8_t> *data() const { return vectorField<uint8_t>(this, 0); }
  uint64_t offset() const { return GetField<uint64_t>(slot(1), 0); }
  uint64_t size() const { return GetField<uint64_t>(slot(2), 0); }
  bool Verify(Verifier &v) const {
    return VerifyTableStart(v) && verifyVector<uint8_t>(this, v, 0) &&
           VerifyField<uint64_t>(v, slot(1), 8) &&
           VerifyField<uint64_t>(v, slot(2), 8) && v.EndTable();
  }
};

// table QuantizationParameters { min:[float]; max:[float]; scale:[float];
//   zero_point:[long]; details:QuantizationDetails (type 4, value 5);
//   quantized_dimension:int; }
struct QuantizationParameters : Table {
  const Vector<float> *scale() const { return vectorField<float>(this, 2); }
  const Vector<int64_t> *zeroPoint() const {
    return vectorField<int64_t>(this, 3);
  }
  uint8_t detailsType() const { return GetField<uint8_t>(slot(4), 0); }
  int32_t quantizedDimension() const { return GetField<int32_t>(slot(6), 0); }
  bool Verify(Verifier &v) const {
    return VerifyTableStart(v) && verifyVector<float>(this, v, 0) &&
           verifyVector<float>(this, v, 1) && verifyVector<float>(this, v, 2) &&
           verifyVector<int64_t>(this, v, 3) &&
           VerifyField<uint8_t>(v, slot(4), 1) && VerifyOffset(v, slot(5)) &&
           VerifyField<int32_t>(v, slot(6), 4) && v.EndTable();
  }
};

// table Tensor { shape:[int]; type:TensorType; buffer:uint; name:string;
//   quantization:QuantizationParameters; is_variable:bool;
//   sparsity:SparsityParameters; ... }
struct Tensor : Table {
  const Vector<int32_t> *shape() const { return vectorField<int32_t>(this, 0); }
  int8_t type() const { return GetField<int8_t>(slot(1), 0); }
  uint32_t buffer() const { return GetField<uint32_t>(slot(2), 0); }
  const String *name() const { return GetPointer<const String *>(slot(3)); }
  const QuantizationParameters *quantization() const {
    return GetPointer<const QuantizationParameters *>(slot(4));
  }
  bool isVariable() const { return GetField<uint8_t>(slot(5), 0) != 0; }
  bool isSparse() const { return GetPointer<const Table *>(slot(6)); }
  bool Verify(Verifier &v) const {
    return VerifyTableStart(v) && verifyVector<int32_t>(this, v, 0) &&
           VerifyField<int8_t>(v, slot(1), 1) &&
           VerifyField<uint32_t>(v, slot(2), 4) && verifyString(this, v, 3) &&
           VerifyOffset(v, slot(4)) &&
           (!quantization() || quantization()->Verify(v)) &&
           VerifyField<uint8_t>(v, slot(5), 1) && VerifyOffset(v, slot(6)) &&
           v.EndTable();
  }
};

// table Operator { opcode_index:uint; inputs:[int]; outputs:[int];
//   builtin_options:BuiltinOptions (type 3, value 4); custom_options:[ubyte];
//   ... }
struct Operator : Table {
  uint32_t opcodeIndex() const { return GetField<uint32_t>(slot(0), 0); }
  const Vector<int32_t> *inputs() const {
    return vectorField<int32_t>(this, 1);
  }
  const Vector<int32_t> *outputs() const {
    return vectorField<int32_t>(this, 2);
  }
  const Table *builtinOptions() const {
    return GetPointer<const Table *>(slot(4));
  }
  bool Verify(Verifier &v) const {
    return VerifyTableStart(v) && VerifyField<uint32_t>(v, slot(0), 4) &&
           verifyVector<int32_t>(this, v, 1) &&
           verifyVector<int32_t>(this, v, 2) &&
           VerifyField<uint8_t>(v, slot(3), 1) && VerifyOffset(v, slot(4)) &&
           verifyVector<uint8_t>(this, v, 5) && v.EndTable();
  }
};

// table OperatorCode { deprecated_builtin_code:byte; custom_code:string;
//   version:int = 1; builtin_code:BuiltinOperator; }
struct OperatorCode : Table {
  int32_t builtinCode() const {
    // Codes below 127 may live in either field; take the larger.
    return std::max<int32_t>(GetField<int8_t>(slot(0), 0),
                             GetField<int32_t>(slot(3), 0));
  }
  const String *customCode() const {
    return GetPointer<const String *>(slot(1));
  }
  int32_t version() const { return GetField<int32_t>(slot(2), 1); }
  bool Verify(Verifier &v) const {
    return VerifyTableStart(v) && VerifyField<int8_t>(v, slot(0), 1) &&
           verifyString(this, v, 1) && VerifyField<int32_t>(v, slot(2), 4) &&
           VerifyField<int32_t>(v, slot(3), 4) && v.EndTable();
  }
};

// table SubGraph { tensors:[Tensor]; inputs:[int]; outputs:[int];
//   operators:[Operator]; name:string; }
struct SubGraph : Table {
  const Vector<Offset<Tensor>> *tensors() const {
    return vectorField<Offset<Tensor>>(this, 0);
  }
  const Vector<int32_t> *inputs() const {
    return vectorField<int32_t>(this, 1);
  }
  const Vector<int32_t> *outputs() const {
    return vectorField<int32_t>(this, 2);
  }
  const Vector<Offset<Operator>> *operators() const {
    return vectorField<Offset<Operator>>(this, 3);
  }
  bool Verify(Verifier &v) const {
    return VerifyTableStart(v) && VerifyOffset(v, slot(0)) &&
           v.VerifyVector(tensors()) && v.VerifyVectorOfTables(tensors()) &&
           verifyVector<int32_t>(this, v, 1) &&
           verifyVector<int32_t>(this, v, 2) && VerifyOffset(v, slot(3)) &&
           v.VerifyVector(operators()) && v.VerifyVectorOfTables(operators()) &&
           verifyString(this, v, 4) && v.EndTable();
  }
};

// table Model { version:uint; operator_codes:[OperatorCode];
//   subgraphs:[SubGraph]; description:string; buffers:[Buffer]; ... }
struct Model : Table {
  uint32_t version() const { return GetField<uint32_t>(slot(0), 0); }
  const Vector<Offset<OperatorCode>> *operatorCodes() const {
    return vectorField<Offset<OperatorCode>>(this, 1);
  }
  const Vector<Offset<SubGraph>> *subgraphs() const {
    return vectorField<Offset<SubGraph>>(this, 2);
  }
  const Vector<Offset<Buffer>> *buffers() const {
    return vectorField<Offset<Buffer>>(this, 4);
  }
  bool Verify(Verifier &v) const {
    return VerifyTableStart(v) && VerifyField<uint32_t>(v, slot(0), 4) &&
           VerifyOffset(v, slot(1)) && v.VerifyVector(operatorCodes()) &&
           v.VerifyVectorOfTables(operatorCodes()) &&
           VerifyOffset(v, slot(2)) && v.VerifyVector(subgraphs()) &&
           v.VerifyVectorOfTables(subgraphs()) && verifyString(this, v, 3) &&
           VerifyOffset(v, slot(4)) && v.VerifyVector(buffers()) &&
           v.VerifyVectorOfTables(buffers()) && v.EndTable();
  }
};

// enum TensorType : byte
enum TensorType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kBool = 6,
  kInt16 = 7,
  kInt8 = 9,
  kFloat64 = 10,
};
} // namespace schema

//===----------------------------------------------------------------------===//
// Builtin operator options
//===----------------------------------------------------------------------===//

enum class OptionKind { Padding, Activation, Int32, Float, Bool, Int32Vector };

struct OptionField {
  const char *name;
  int id;
  OptionKind kind;
  int64_t defaultValue;
};

// The options tables of the operators TinyQ converts (schema field order).
const OptionField kConv2DOptions[] = {
    {"padding", 0, OptionKind::Padding, 0},
    {"stride_w", 1, OptionKind::Int32, 0},
    {"stride_h", 2, OptionKind::Int32, 0},
    {"fused_activation_function", 3, OptionKind::Activation, 0},
    {"dilation_w_factor", 4, OptionKind::Int32, 1},
    {"dilation_h_factor", 5, OptionKind::Int32, 1}};
const OptionField kDepthwiseConv2DOptions[] = {
    {"padding", 0, OptionKind::Padding, 0},
    {"stride_w", 1, OptionKind::Int32, 0},
    {"stride_h", 2, OptionKind::Int32, 0},
    {"depth_multiplier", 3, OptionKind::Int32, 0},
    {"fused_activation_function", 4, OptionKind::Activation, 0},
    {"dilation_w_factor", 5, OptionKind::Int32, 1},
    {"dilation_h_factor", 6, OptionKind::Int32, 1}};
const OptionField kPool2DOptions[] = {
    {"padding", 0, OptionKind::Padding, 0},
    {"stride_w", 1, OptionKind::Int32, 0},
    {"stride_h", 2, OptionKind::Int32, 0},
    {"filter_width", 3, OptionKind::Int32, 0},
    {"filter_height", 4, OptionKind::Int32, 0},
    {"fused_activation_function", 5, OptionKind::Activation, 0}};
const OptionField kFullyConnectedOptions[] = {
    {"fused_activation_function", 0, OptionKind::Activation, 0},
    {"weights_format", 1, OptionKind::Int32, 0},
    {"keep_num_dims", 2, OptionKind::Bool, 0}};
const OptionField kActivationOnlyOptions[] = {
    {"fused_activation_function", 0, OptionKind::Activation, 0}};
const OptionField kSoftmaxOptions[] = {{"beta", 0, OptionKind::Float, 0}};
const OptionField kConcatenationOptions[] = {
    {"axis", 0, OptionKind::Int32, 0},
    {"fused_activation_function", 1, OptionKind::Activation, 0}};
const OptionField kReshapeOptions[] = {
    {"new_shape", 0, OptionKind::Int32Vector, 0}};
const OptionField kSqueezeOptions[] = {
    {"squeeze_dims", 0, OptionKind::Int32Vector, 0}};
const OptionField kReducerOptions[] = {{"keep_dims", 0, OptionKind::Bool, 0}};
const OptionField kLeakyReluOptions[] = {{"alpha", 0, OptionKind::Float, 0}};

enum BuiltinCode : int32_t {
  kAdd = 0,
  kAveragePool2D = 1,
  kConcatenation = 2,
  kConv2D = 3,
  kDepthwiseConv2D = 4,
  kFullyConnected = 9,
  kMaxPool2D = 17,
  kMul = 18,
  kReshape = 22,
  kSoftmax = 25,
  kCustom = 32,
  kMean = 40,
  kSub = 41,
  kDiv = 42,
  kSqueeze = 43,
  kLeakyRelu = 98,
};

ArrayRef<OptionField> getOptionFields(int32_t code) {
  switch (code) {
  case kConv2D:
    return kConv2DOptions;
  case kDepthwiseConv2D:
    return kDepthwiseConv2DOptions;
  case kAveragePool2D:
  case kMaxPool2D:
    return kPool2DOptions;
  case kFullyConnected:
    return kFullyConnectedOptions;
  case kAdd:
  case kMul:
  case kSub:
  case kDiv:
    return kActivationOnlyOptions;
  case kSoftmax:
    return kSoftmaxOptions;
  case kConcatenation:
    return kConcatenationOptions;
  case kReshape:
    return kReshapeOptions;
  case kSqueeze:
    return kSqueezeOptions;
  case kMean:
    return kReducerOptions;
  case kLeakyRelu:
    return kLeakyReluOptions;
  default:
    return {};
  }
}

/// Verifies \p options as a table holding \p fields.
bool verifyOptions(const flatbuffers::Table *options,
                   flatbuffers::Verifier &verifier,
                   ArrayRef<OptionField> fields) {
  if (!options->VerifyTableStart(verifier))
    return false;
  for (const OptionField &field : fields) {
    bool ok = true;
    switch (field.kind) {
    case OptionKind::Padding:
    case OptionKind::Activation:
    case OptionKind::Bool:
      ok = options->VerifyField<uint8_t>(verifier, schema::slot(field.id), 1);
      break;
    case OptionKind::Int32:
      ok = options->VerifyField<int32_t>(verifier, schema::slot(field.id), 4);
      break;
    case OptionKind::Float:
      ok = options->VerifyField<float>(verifier, schema::slot(field.id), 4);
      break;
    case OptionKind::Int32Vector:
      ok = schema::verifyVector<int32_t>(options, verifier, field.id);
      break;
    }
    if (!ok)
      return false;
  }
  return verifier.EndTable();
}

// The names of BuiltinOperator 0..126 in the published schema.
const char *const kOperatorNames[] = {"ADD",
                                      "AVERAGE_POOL_2D",
                                      "CONCATENATION",
                                      "CONV_2D",
                                      "DEPTHWISE_CONV_2D",
                                      "DEPTH_TO_SPACE",
                                      "DEQUANTIZE",
                                      "EMBEDDING_LOOKUP",
                                      "FLOOR",
                                      "FULLY_CONNECTED",
                                      "HASHTABLE_LOOKUP",
                                      "L2_NORMALIZATION",
                                      "L2_POOL_2D",
                                      "LOCAL_RESPONSE_NORMALIZATION",
                                      "LOGISTIC",
                                      "LSH_PROJECTION",
                                      "LSTM",
                                      "MAX_POOL_2D",
                                      "MUL",
                                      "RELU",
                                      "RELU_N1_TO_1",
                                      "RELU6",
                                      "RESHAPE",
                                      "RESIZE_BILINEAR",
                                      "RNN",
                                      "SOFTMAX",
                                      "SPACE_TO_DEPTH",
                                      "SVDF",
                                      "TANH",
                                      "CONCAT_EMBEDDINGS",
                                      "SKIP_GRAM",
                                      "CALL",
                                      "CUSTOM",
                                      "EMBEDDING_LOOKUP_SPARSE",
                                      "PAD",
                                      "UNIDIRECTIONAL_SEQUENCE_RNN",
                                      "GATHER",
                                      "BATCH_TO_SPACE_ND",
                                      "SPACE_TO_BATCH_ND",
                                      "TRANSPOSE",
                                      "MEAN",
                                      "SUB",
                                      "DIV",
                                      "SQUEEZE",
                                      "UNIDIRECTIONAL_SEQUENCE_LSTM",
                                      "STRIDED_SLICE",
                                      "BIDIRECTIONAL_SEQUENCE_RNN",
                                      "EXP",
                                      "TOPK_V2",
                                      "SPLIT",
                                      "LOG_SOFTMAX",
                                      "DELEGATE",
                                      "BIDIRECTIONAL_SEQUENCE_LSTM",
                                      "CAST",
                                      "PRELU",
                                      "MAXIMUM",
                                      "ARG_MAX",
                                      "MINIMUM",
                                      "LESS",
                                      "NEG",
                                      "PADV2",
                                      "GREATER",
                                      "GREATER_EQUAL",
                                      "LESS_EQUAL",
                                      "SELECT",
                                      "SLICE",
                                      "SIN",
                                      "TRANSPOSE_CONV",
                                      "SPARSE_TO_DENSE",
                                      "TILE",
                                      "EXPAND_DIMS",
                                      "EQUAL",
                                      "NOT_EQUAL",
                                      "LOG",
                                      "SUM",
                                      "SQRT",
                                      "RSQRT",
                                      "SHAPE",
                                      "POW",
                                      "ARG_MIN",
                                      "FAKE_QUANT",
                                      "REDUCE_PROD",
                                      "REDUCE_MAX",
                                      "PACK",
                                      "LOGICAL_OR",
                                      "ONE_HOT",
                                      "LOGICAL_AND",
                                      "LOGICAL_NOT",
                                      "UNPACK",
                                      "REDUCE_MIN",
                                      "FLOOR_DIV",
                                      "REDUCE_ANY",
                                      "SQUARE",
                                      "ZEROS_LIKE",
                                      "FILL",
                                      "FLOOR_MOD",
                                      "RANGE",
                                      "RESIZE_NEAREST_NEIGHBOR",
                                      "LEAKY_RELU",
                                      "SQUARED_DIFFERENCE",
                                      "MIRROR_PAD",
                                      "ABS",
                                      "SPLIT_V",
                                      "UNIQUE",
                                      "CEIL",
                                      "REVERSE_V2",
                                      "ADD_N",
                                      "GATHER_ND",
                                      "COS",
                                      "WHERE",
                                      "RANK",
                                      "ELU",
                                      "REVERSE_SEQUENCE",
                                      "MATRIX_DIAG",
                                      "QUANTIZE",
                                      "MATRIX_SET_DIAG",
                                      "ROUND",
                                      "HARD_SWISH",
                                      "IF",
                                      "WHILE",
                                      "NON_MAX_SUPPRESSION_V4",
                                      "NON_MAX_SUPPRESSION_V5",
                                      "SCATTER_ND",
                                      "SELECT_V2",
                                      "DENSIFY",
                                      "SEGMENT_SUM",
                                      "BATCH_MATMUL"};
} // namespace

std::string tinyq::getTfliteOperatorName(int32_t code) {
  if (code >= 0 && size_t(code) < std::size(kOperatorNames))
    return kOperatorNames[code];
  return "BUILTIN_" + std::to_string(code);
}

//===----------------------------------------------------------------------===//
// Importer
//===----------------------------------------------------------------------===//

namespace {
/// Elements a single tensor may declare before it is treated as corrupt.
constexpr int64_t kMaxTensorElements = int64_t(1) << 31;

class TfliteImporter {
public:
  TfliteImporter(MLIRContext *context, StringRef fileName,
                 const TfliteImportOptions &options)
      : context(context), builder(context), options(options),
        fileLoc(FileLineColLoc::get(context, fileName, 0, 0)) {}

  OwningOpRef<ModuleOp> run(StringRef bytes);

private:
  LogicalResult verify(StringRef bytes);
  FailureOr<RankedTensorType> convertTensorType(const schema::Tensor *tensor,
                                                int64_t index);
  FailureOr<Value> importConstant(const schema::Tensor *tensor, int64_t index,
                                  RankedTensorType type);
  LogicalResult importOperator(const schema::Operator *op, int64_t index);
  FailureOr<Value> getTensorValue(int32_t index, int64_t operatorIndex);
  std::string tensorName(int64_t index) const;
  Location tensorLoc(int64_t index) {
    return NameLoc::get(builder.getStringAttr(tensorName(index)), fileLoc);
  }

  MLIRContext *context;
  OpBuilder builder;
  const TfliteImportOptions &options;
  Location fileLoc;
  StringRef file;
  const schema::Model *model = nullptr;
  const schema::SubGraph *graph = nullptr;
  /// The value of each tensor once defined.
  std::vector<Value> values;
};
} // namespace

std::string TfliteImporter::tensorName(int64_t index) const {
  const schema::Tensor *tensor = graph->tensors()->Get(index);
  if (tensor->name() && tensor->name()->size() > 0)
    return tensor->name()->str();
  return "tensor_" + std::to_string(index);
}

LogicalResult TfliteImporter::verify(StringRef bytes) {
  const auto *data = reinterpret_cast<const uint8_t *>(bytes.data());
  if (bytes.size() < 8 || !flatbuffers::BufferHasIdentifier(data, "TFL3"))
    return emitError(fileLoc)
           << "not a TFLite model: the file has no TFL3 identifier";
  if (bytes.size() >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return emitError(fileLoc) << "the file is larger than a flatbuffer can be";
  flatbuffers::Verifier verifier(data, bytes.size(), /*max_depth=*/64,
                                 /*max_tables=*/1000000);
  if (!verifier.VerifyOffset(0))
    return emitError(fileLoc) << "not a valid TFLite model: bad root offset";
  model = flatbuffers::GetRoot<schema::Model>(data);
  if (!model->Verify(verifier))
    return emitError(fileLoc) << "not a valid TFLite model: the flatbuffer "
                                 "is malformed or truncated";
  if (model->version() != 3)
    return emitError(fileLoc) << "unsupported TFLite schema version "
                              << model->version() << " (supported: 3)";
  if (!model->subgraphs() || model->subgraphs()->size() == 0)
    return emitError(fileLoc) << "the model has no subgraph";
  graph = model->subgraphs()->Get(0);
  if (!graph->tensors() || !graph->operators() || !graph->inputs() ||
      !graph->outputs())
    return emitError(fileLoc) << "the main subgraph lacks tensors, "
                                 "operators, inputs or outputs";
  // Options tables are typed by the operator using them; verify each against
  // the fields this importer will read.
  auto *codes = model->operatorCodes();
  for (const schema::Operator *op : *graph->operators()) {
    if (!codes || op->opcodeIndex() >= codes->size())
      return emitError(fileLoc) << "an operator's opcode index is out of "
                                   "range";
    if (const flatbuffers::Table *options = op->builtinOptions()) {
      int32_t code = codes->Get(op->opcodeIndex())->builtinCode();
      if (!verifyOptions(options, verifier, getOptionFields(code)))
        return emitError(fileLoc)
               << "the options of a " << getTfliteOperatorName(code)
               << " operator are malformed";
    }
  }
  return success();
}

FailureOr<RankedTensorType>
TfliteImporter::convertTensorType(const schema::Tensor *tensor, int64_t index) {
  Location loc = tensorLoc(index);
  SmallVector<int64_t> shape;
  int64_t count = 1;
  if (tensor->shape())
    for (int32_t dim : *tensor->shape()) {
      if (dim < 0 || (dim > 0 && count > kMaxTensorElements / dim))
        return emitError(loc) << "tensor '" << tensorName(index)
                              << "' declares an invalid or huge shape";
      shape.push_back(dim);
      count *= dim;
    }
  if (tensor->isSparse())
    return emitError(loc) << "tensor '" << tensorName(index)
                          << "' is sparse, which is not supported";
  if (tensor->isVariable())
    return emitError(loc) << "tensor '" << tensorName(index)
                          << "' is a variable, which is not supported";
  Type storage;
  bool isSigned = true;
  switch (tensor->type()) {
  case schema::kFloat32:
    storage = builder.getF32Type();
    break;
  case schema::kFloat16:
    storage = builder.getF16Type();
    break;
  case schema::kFloat64:
    storage = builder.getF64Type();
    break;
  case schema::kInt8:
    storage = builder.getIntegerType(8);
    break;
  case schema::kUInt8:
    storage = builder.getIntegerType(8, /*isSigned=*/false);
    isSigned = false;
    break;
  case schema::kInt16:
    storage = builder.getIntegerType(16);
    break;
  case schema::kInt32:
    storage = builder.getIntegerType(32);
    break;
  case schema::kInt64:
    storage = builder.getIntegerType(64);
    break;
  case schema::kBool:
    storage = builder.getI1Type();
    break;
  default:
    return emitError(loc) << "tensor '" << tensorName(index)
                          << "' has unsupported TFLite type "
                          << int(tensor->type());
  }

  const schema::QuantizationParameters *quant = tensor->quantization();
  if (!quant || !quant->scale() || quant->scale()->size() == 0)
    return RankedTensorType::get(shape, storage);
  auto storageInt = dyn_cast<IntegerType>(storage);
  if (!storageInt || storageInt.getWidth() < 8)
    return emitError(loc) << "tensor '" << tensorName(index)
                          << "' has quantization parameters but a "
                             "non-integer type";
  if (quant->detailsType() != 0)
    return emitError(loc) << "tensor '" << tensorName(index)
                          << "' uses custom quantization, which is not "
                             "supported";
  unsigned width = storageInt.getWidth();
  int64_t storageMin = isSigned ? -(int64_t(1) << (width - 1)) : 0;
  int64_t storageMax =
      isSigned ? (int64_t(1) << (width - 1)) - 1 : (int64_t(1) << width) - 1;
  if (width == 64) {
    storageMin = std::numeric_limits<int64_t>::min();
    storageMax = std::numeric_limits<int64_t>::max();
  }
  size_t channels = quant->scale()->size();
  auto *zeroPoints = quant->zeroPoint();
  if (zeroPoints && zeroPoints->size() != 0 && zeroPoints->size() != channels)
    return emitError(loc) << "tensor '" << tensorName(index) << "' has "
                          << channels << " scales but " << zeroPoints->size()
                          << " zero points";
  SmallVector<double> scales;
  SmallVector<int64_t> zps;
  for (size_t i = 0; i < channels; ++i) {
    double scale = quant->scale()->Get(i);
    int64_t zp = zeroPoints && zeroPoints->size() ? zeroPoints->Get(i) : 0;
    if (!std::isfinite(scale) || scale <= 0)
      return emitError(loc)
             << "tensor '" << tensorName(index) << "' has an invalid scale "
             << llvm::formatv("{0}", llvm::format("%g", scale)).str();
    if (zp < storageMin || zp > storageMax)
      return emitError(loc)
             << "tensor '" << tensorName(index) << "' has zero point " << zp
             << " outside its storage range";
    scales.push_back(scale);
    zps.push_back(zp);
  }
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  auto emit = [&] { return emitError(loc); };
  Type element;
  if (channels == 1) {
    element = quant::UniformQuantizedType::getChecked(
        emit, flags, storage, builder.getF32Type(), scales[0], zps[0],
        storageMin, storageMax);
  } else {
    int32_t axis = quant->quantizedDimension();
    if (axis < 0 || size_t(axis) >= shape.size() ||
        size_t(shape[axis]) != channels)
      return emitError(loc)
             << "tensor '" << tensorName(index) << "' has " << channels
             << " per-channel scales that do not match its "
                "quantized dimension";
    element = quant::UniformQuantizedPerAxisType::getChecked(
        emit, flags, storage, builder.getF32Type(), scales, zps, axis,
        storageMin, storageMax);
  }
  if (!element)
    return failure();
  return RankedTensorType::get(shape, element);
}

FailureOr<Value> TfliteImporter::importConstant(const schema::Tensor *tensor,
                                                int64_t index,
                                                RankedTensorType type) {
  Location loc = tensorLoc(index);
  const schema::Buffer *buffer = model->buffers()->Get(tensor->buffer());
  ArrayRef<uint8_t> data;
  if (buffer->data()) {
    data = ArrayRef<uint8_t>(buffer->data()->data(), buffer->data()->size());
  } else if (buffer->offset() > 1) {
    // Large models keep buffers after the flatbuffer, by file offset.
    if (buffer->offset() > file.size() ||
        buffer->size() > file.size() - buffer->offset())
      return emitError(loc) << "the data of tensor '" << tensorName(index)
                            << "' lies outside the file";
    data = ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(file.data()) +
                                 buffer->offset(),
                             buffer->size());
  }
  Type storage = type.getElementType();
  if (auto quantized = dyn_cast<quant::QuantizedType>(storage))
    storage = quantized.getStorageType();
  auto storageType = RankedTensorType::get(type.getShape(), storage);
  int64_t count = storageType.getNumElements();
  unsigned bytes =
      storage.isInteger(1) ? 1 : storage.getIntOrFloatBitWidth() / 8;
  if (int64_t(data.size()) != count * bytes)
    return emitError(loc) << "tensor '" << tensorName(index) << "' declares "
                          << count << " elements but its buffer holds "
                          << data.size() << " bytes";
  DenseElementsAttr value;
  if (storage.isInteger(1)) {
    SmallVector<bool> bits(data.begin(), data.end());
    value = DenseElementsAttr::get(storageType, ArrayRef<bool>(bits));
  } else {
    value = DenseElementsAttr::getFromRawBuffer(
        storageType, ArrayRef<char>(reinterpret_cast<const char *>(data.data()),
                                    data.size()));
  }
  Value constant = arith::ConstantOp::create(builder, loc, value);
  if (storage == type.getElementType())
    return constant;
  // Quantized constants: storage values reinterpreted with their type.
  return Value(quant::StorageCastOp::create(builder, loc, type, constant));
}

FailureOr<Value> TfliteImporter::getTensorValue(int32_t index,
                                                int64_t operatorIndex) {
  if (index < 0 || uint32_t(index) >= graph->tensors()->size())
    return emitError(fileLoc)
           << "operator #" << operatorIndex << " refers to tensor " << index
           << ", which does not exist";
  if (values[index])
    return values[index];
  const schema::Tensor *tensor = graph->tensors()->Get(index);
  if (tensor->buffer() == 0 || tensor->buffer() >= model->buffers()->size() ||
      (!model->buffers()->Get(tensor->buffer())->data() &&
       model->buffers()->Get(tensor->buffer())->offset() <= 1))
    return emitError(tensorLoc(index))
           << "operator #" << operatorIndex << " reads tensor '"
           << tensorName(index) << "' before any operator writes it";
  FailureOr<RankedTensorType> type = convertTensorType(tensor, index);
  if (failed(type))
    return failure();
  FailureOr<Value> constant = importConstant(tensor, index, *type);
  if (failed(constant))
    return failure();
  values[index] = *constant;
  return *constant;
}

LogicalResult TfliteImporter::importOperator(const schema::Operator *op,
                                             int64_t index) {
  const schema::OperatorCode *code =
      model->operatorCodes()->Get(op->opcodeIndex());
  int32_t builtin = code->builtinCode();
  std::string name = getTfliteOperatorName(builtin);
  if (builtin == kCustom)
    name += "." + (code->customCode() ? code->customCode()->str() : "");

  SmallVector<Value> inputs;
  if (op->inputs())
    for (int32_t input : *op->inputs()) {
      if (input == -1) {
        inputs.push_back(
            frontend::NoneOp::create(builder, fileLoc, builder.getNoneType()));
        continue;
      }
      FailureOr<Value> value = getTensorValue(input, index);
      if (failed(value))
        return failure();
      inputs.push_back(*value);
    }
  if (!op->outputs() || op->outputs()->size() == 0)
    return emitError(fileLoc)
           << "operator #" << index << " (" << name << ") has no outputs";
  SmallVector<Type> resultTypes;
  for (int32_t output : *op->outputs()) {
    if (output < 0 || uint32_t(output) >= graph->tensors()->size())
      return emitError(fileLoc) << "operator #" << index << " writes tensor "
                                << output << ", which does not exist";
    if (values[output])
      return emitError(tensorLoc(output))
             << "tensor '" << tensorName(output) << "' is written twice";
    FailureOr<RankedTensorType> type =
        convertTensorType(graph->tensors()->Get(output), output);
    if (failed(type))
      return failure();
    resultTypes.push_back(*type);
  }
  Location loc = tensorLoc(op->outputs()->Get(0));
  auto node =
      frontend::NodeOp::create(builder, loc, resultTypes,
                               builder.getStringAttr("tflite." + name), inputs);
  node->setAttr("tflite.version", builder.getI64IntegerAttr(code->version()));
  const flatbuffers::Table *options = op->builtinOptions();
  for (const OptionField &field : getOptionFields(builtin)) {
    std::string attrName = std::string("tflite.") + field.name;
    schema::voffset_t slot = schema::slot(field.id);
    switch (field.kind) {
    case OptionKind::Padding: {
      int value = options ? options->GetField<uint8_t>(slot, 0) : 0;
      if (value > 1)
        return emitError(loc) << "operator #" << index << " (" << name
                              << ") has an unknown padding " << value;
      node->setAttr(attrName, builder.getStringAttr(value ? "VALID" : "SAME"));
      break;
    }
    case OptionKind::Activation: {
      static const char *const activations[] = {"NONE",  "RELU", "RELU_N1_TO_1",
                                                "RELU6", "TANH", "SIGN_BIT"};
      int value = options ? options->GetField<uint8_t>(slot, 0) : 0;
      if (value >= int(std::size(activations)))
        return emitError(loc) << "operator #" << index << " (" << name
                              << ") has an unknown fused activation " << value;
      node->setAttr(attrName, builder.getStringAttr(activations[value]));
      break;
    }
    case OptionKind::Int32:
      node->setAttr(attrName,
                    builder.getI64IntegerAttr(
                        options ? options->GetField<int32_t>(
                                      slot, int32_t(field.defaultValue))
                                : field.defaultValue));
      break;
    case OptionKind::Float:
      node->setAttr(attrName,
                    builder.getF32FloatAttr(
                        options ? options->GetField<float>(slot, 0.0f) : 0.0f));
      break;
    case OptionKind::Bool:
      node->setAttr(
          attrName,
          builder.getBoolAttr(options && options->GetField<uint8_t>(slot, 0)));
      break;
    case OptionKind::Int32Vector:
      if (auto *vector = options
                             ? schema::vectorField<int32_t>(options, field.id)
                             : nullptr) {
        SmallVector<int64_t> items(vector->begin(), vector->end());
        node->setAttr(attrName, builder.getDenseI64ArrayAttr(items));
      }
      break;
    }
  }
  for (auto [output, result] : llvm::zip(*op->outputs(), node.getOutputs()))
    values[output] = result;
  return success();
}

OwningOpRef<ModuleOp> TfliteImporter::run(StringRef bytes) {
  context->loadDialect<arith::ArithDialect, func::FuncDialect,
                       quant::QuantDialect, frontend::TinyQFrontendDialect>();
  file = bytes;
  if (failed(verify(bytes)))
    return nullptr;
  values.assign(graph->tensors()->size(), nullptr);

  SmallVector<Type> argTypes, resultTypes;
  for (int32_t input : *graph->inputs()) {
    if (input < 0 || uint32_t(input) >= graph->tensors()->size()) {
      emitError(fileLoc) << "graph input " << input << " does not exist";
      return nullptr;
    }
    FailureOr<RankedTensorType> type =
        convertTensorType(graph->tensors()->Get(input), input);
    if (failed(type))
      return nullptr;
    argTypes.push_back(*type);
  }
  for (int32_t output : *graph->outputs()) {
    if (output < 0 || uint32_t(output) >= graph->tensors()->size()) {
      emitError(fileLoc) << "graph output " << output << " does not exist";
      return nullptr;
    }
    FailureOr<RankedTensorType> type =
        convertTensorType(graph->tensors()->Get(output), output);
    if (failed(type))
      return nullptr;
    resultTypes.push_back(*type);
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  auto func =
      func::FuncOp::create(builder, fileLoc, options.functionName,
                           builder.getFunctionType(argTypes, resultTypes));
  func->setAttr(frontend::kFormatAttrName, builder.getStringAttr("tflite"));
  Block *entry = func.addEntryBlock();
  for (auto [index, input] : llvm::enumerate(*graph->inputs())) {
    if (values[input]) {
      emitError(tensorLoc(input))
          << "tensor '" << tensorName(input) << "' is a graph input twice";
      return nullptr;
    }
    values[input] = entry->getArgument(index);
    func.setArgAttr(index, "tinyq_frontend.name",
                    builder.getStringAttr(tensorName(input)));
  }
  for (auto [index, output] : llvm::enumerate(*graph->outputs()))
    func.setResultAttr(index, "tinyq_frontend.name",
                       builder.getStringAttr(tensorName(output)));

  builder.setInsertionPointToStart(entry);
  for (auto [index, op] : llvm::enumerate(*graph->operators()))
    if (failed(importOperator(op, index)))
      return nullptr;
  SmallVector<Value> results;
  for (int32_t output : *graph->outputs()) {
    FailureOr<Value> value = getTensorValue(output, -1);
    if (failed(value))
      return nullptr;
    results.push_back(*value);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  return module;
}

OwningOpRef<ModuleOp> tinyq::importTflite(llvm::MemoryBufferRef buffer,
                                          MLIRContext *context,
                                          const TfliteImportOptions &options) {
  TfliteImporter importer(context, buffer.getBufferIdentifier(), options);
  return importer.run(buffer.getBuffer());
}
