//===- ImportONNX.cpp - ONNX model importer -------------------------------===//
//
// Parses a model (binary protobuf or ONNX's textual syntax), runs ONNX's
// checker and shape inference with the batch dimension fixed, and emits one
// tinyq_frontend.node per graph node. Every problem in the file becomes one
// diagnostic; nothing in the file can make the importer crash or allocate
// more than the file's declared sizes allow.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontend.h"
#include "tinyq/Import/ONNX.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FormatVariadic.h"

#include <onnx/checker.h>
#include <onnx/defs/parser.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cerrno>
#include <csignal>
#include <exception>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace mlir;
using namespace tinyq;

namespace {

/// Largest tensor, in elements, that a model may declare (2^31): beyond that
/// a declared size is treated as corrupt rather than allocated.
constexpr int64_t kMaxTensorElements = int64_t(1) << 31;

class OnnxImporter {
public:
  OnnxImporter(MLIRContext *context, StringRef fileName,
               const OnnxImportOptions &options)
      : context(context), builder(context), options(options),
        fileLoc(FileLineColLoc::get(context, fileName, 0, 0)) {}

  OwningOpRef<ModuleOp> run(StringRef bytes);

private:
  LogicalResult parse(StringRef bytes);
  LogicalResult fixInputShapes();
  LogicalResult checkAndInferShapes();
  LogicalResult importGraph(ModuleOp module);
  LogicalResult importNode(const onnx::NodeProto &node, size_t index);

  FailureOr<Type> convertElementType(int32_t dataType, Location loc);
  FailureOr<Type> convertValueType(const onnx::TypeProto &type, StringRef name,
                                   Location loc);
  FailureOr<DenseElementsAttr> convertTensor(const onnx::TensorProto &tensor,
                                             Location loc);
  FailureOr<Attribute> convertAttribute(const onnx::AttributeProto &attr,
                                        Location loc);
  Location nodeLoc(const onnx::NodeProto &node, size_t index);
  Location valueLoc(StringRef name) {
    return NameLoc::get(builder.getStringAttr(name), fileLoc);
  }

  MLIRContext *context;
  OpBuilder builder;
  const OnnxImportOptions &options;
  Location fileLoc;
  onnx::ModelProto model;
  int64_t opset = 0;
  llvm::StringMap<Value> values;
  llvm::StringMap<onnx::TypeProto> valueTypes;
};

} // namespace

LogicalResult OnnxImporter::parse(StringRef bytes) {
  if (options.textFormat) {
    std::string text = bytes.str();
    onnx::Status status = onnx::OnnxParser::Parse(model, text.c_str());
    if (!status.IsOK())
      return emitError(fileLoc)
             << "cannot parse the ONNX text: " << status.ErrorMessage();
    return success();
  }
  if (bytes.size() > size_t(std::numeric_limits<int>::max()))
    return emitError(fileLoc) << "the file is larger than 2 GiB, which "
                                 "protobuf cannot parse";
  if (!model.ParseFromArray(bytes.data(), int(bytes.size())))
    return emitError(fileLoc)
           << "not a valid ONNX model: the protobuf message is malformed or "
              "truncated";
  return success();
}

LogicalResult OnnxImporter::fixInputShapes() {
  onnx::GraphProto *graph = model.mutable_graph();
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &init : graph->initializer())
    initializers.insert(init.name());
  for (onnx::ValueInfoProto &input : *graph->mutable_input()) {
    if (initializers.contains(input.name()))
      continue;
    Location loc = valueLoc(input.name());
    if (!input.type().has_tensor_type())
      return emitError(loc)
             << "graph input '" << input.name() << "' is not a tensor";
    onnx::TypeProto_Tensor *tensor =
        input.mutable_type()->mutable_tensor_type();
    if (!tensor->has_shape())
      return emitError(loc)
             << "graph input '" << input.name() << "' has no shape";
    for (auto [index, dim] :
         llvm::enumerate(*tensor->mutable_shape()->mutable_dim())) {
      if (dim.has_dim_value() && dim.dim_value() > 0)
        continue;
      if (index != 0)
        return emitError(loc)
               << "graph input '" << input.name() << "' has an unknown size "
               << "in dimension " << index
               << "; only the first (batch) dimension may be symbolic";
      dim.set_dim_value(options.batchSize);
    }
  }
  return success();
}

/// Runs ONNX's checker and shape inference on \p model in place. Returns an
/// empty string on success, else the reason.
static std::string checkAndInferInProcess(onnx::ModelProto &model) {
  // ONNX reports problems by throwing: catch them here, at the boundary.
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    return std::string("invalid ONNX model: ") + e.what();
  }
  try {
    onnx::ShapeInferenceOptions inference(/*check_type=*/true,
                                          /*strict_mode=*/1,
                                          /*data_prop=*/true);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), inference);
  } catch (const std::exception &e) {
    return std::string("ONNX shape inference failed: ") + e.what();
  }
  return {};
}

/// Seconds ONNX's checker and shape inference may take on one model.
static constexpr unsigned kInferenceTimeLimit = 120;

/// checkAndInferInProcess in a child process: libonnx 1.12 can crash (and a
/// crafted model could make it loop) on models its own checker accepts, and
/// neither may take the compiler down. The child sends back the inferred
/// model, or the reason it failed.
static std::string checkAndInferIsolated(onnx::ModelProto &model) {
  int fds[2];
  if (pipe(fds) != 0)
    return checkAndInferInProcess(model);
  pid_t child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return checkAndInferInProcess(model);
  }
  if (child == 0) {
    close(fds[0]);
    // The parent reports a crash; the tools' crash handlers and ONNX's own
    // messages would only add noise.
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
      signal(sig, SIG_DFL);
    int devNull = open("/dev/null", O_WRONLY);
    if (devNull >= 0)
      dup2(devNull, STDERR_FILENO);
    alarm(kInferenceTimeLimit);
    std::string error = checkAndInferInProcess(model);
    std::string reply =
        error.empty() ? "K" + model.SerializeAsString() : "E" + error;
    for (size_t done = 0; done < reply.size();) {
      ssize_t n = write(fds[1], reply.data() + done, reply.size() - done);
      if (n <= 0)
        _exit(3);
      done += size_t(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string reply;
  char chunk[1 << 16];
  for (ssize_t n; (n = read(fds[0], chunk, sizeof(chunk))) != 0;) {
    if (n < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    reply.append(chunk, size_t(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR)
    ;
  if (WIFSIGNALED(status))
    return WTERMSIG(status) == SIGALRM
               ? "ONNX shape inference did not finish within " +
                     std::to_string(kInferenceTimeLimit) + " s"
               : "ONNX's checker or shape inference crashed on this model "
                 "(signal " +
                     std::to_string(WTERMSIG(status)) +
                     "); the file is malformed";
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || reply.empty())
    return "ONNX's checker or shape inference failed unexpectedly";
  if (reply[0] == 'E')
    return reply.substr(1);
  if (!model.ParseFromArray(reply.data() + 1, int(reply.size() - 1)))
    return "cannot read back the shape-inferred model";
  return {};
}

LogicalResult OnnxImporter::checkAndInferShapes() {
  if (std::string error = checkAndInferIsolated(model); !error.empty())
    return emitError(fileLoc) << error;
  for (const onnx::OperatorSetIdProto &id : model.opset_import())
    if (id.domain().empty() || id.domain() == "ai.onnx")
      opset = id.version();
  if (opset < kMinOnnxOpset || opset > kMaxOnnxOpset)
    return emitError(fileLoc) << "unsupported ONNX opset " << opset
                              << " (supported: " << kMinOnnxOpset << " to "
                              << kMaxOnnxOpset << ")";
  const onnx::GraphProto &graph = model.graph();
  for (const auto *list :
       {&graph.input(), &graph.output(), &graph.value_info()})
    for (const onnx::ValueInfoProto &info : *list)
      valueTypes[info.name()] = info.type();
  return success();
}

FailureOr<Type> OnnxImporter::convertElementType(int32_t dataType,
                                                 Location loc) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return Type(builder.getF32Type());
  case onnx::TensorProto::FLOAT16:
    return Type(builder.getF16Type());
  case onnx::TensorProto::DOUBLE:
    return Type(builder.getF64Type());
  case onnx::TensorProto::INT8:
    return Type(builder.getIntegerType(8));
  case onnx::TensorProto::UINT8:
    return Type(builder.getIntegerType(8, /*isSigned=*/false));
  case onnx::TensorProto::INT16:
    return Type(builder.getIntegerType(16));
  case onnx::TensorProto::INT32:
    return Type(builder.getIntegerType(32));
  case onnx::TensorProto::INT64:
    return Type(builder.getIntegerType(64));
  case onnx::TensorProto::BOOL:
    return Type(builder.getI1Type());
  default:
    return emitError(loc) << "unsupported ONNX element type "
                          << onnx::TensorProto::DataType_Name(
                                 onnx::TensorProto::DataType(dataType));
  }
}

FailureOr<Type> OnnxImporter::convertValueType(const onnx::TypeProto &type,
                                               StringRef name, Location loc) {
  if (!type.has_tensor_type())
    return emitError(loc) << "value '" << name << "' is not a tensor";
  const onnx::TypeProto_Tensor &tensor = type.tensor_type();
  FailureOr<Type> elementType = convertElementType(tensor.elem_type(), loc);
  if (failed(elementType))
    return failure();
  if (!tensor.has_shape())
    return Type(UnrankedTensorType::get(*elementType));
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto_Dimension &dim : tensor.shape().dim())
    shape.push_back(dim.has_dim_value() && dim.dim_value() >= 0
                        ? dim.dim_value()
                        : ShapedType::kDynamic);
  return Type(RankedTensorType::get(shape, *elementType));
}

FailureOr<DenseElementsAttr>
OnnxImporter::convertTensor(const onnx::TensorProto &tensor, Location loc) {
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL)
    return emitError(loc) << "tensor '" << tensor.name()
                          << "' uses external data, which is not supported";
  FailureOr<Type> elementType = convertElementType(tensor.data_type(), loc);
  if (failed(elementType))
    return failure();
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0 || (dim > 0 && count > kMaxTensorElements / dim))
      return emitError(loc) << "tensor '" << tensor.name()
                            << "' declares an invalid or huge shape";
    shape.push_back(dim);
    count *= dim;
  }
  auto type = RankedTensorType::get(shape, *elementType);
  auto mismatch = [&](int64_t found) {
    return emitError(loc) << "tensor '" << tensor.name() << "' declares "
                          << count << " elements but holds " << found;
  };

  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if ((*elementType).isInteger(1)) {
      if (int64_t(raw.size()) != count)
        return mismatch(raw.size());
      SmallVector<bool> bits(raw.begin(), raw.end());
      return DenseElementsAttr::get(type, ArrayRef<bool>(bits));
    }
    int64_t width = (*elementType).getIntOrFloatBitWidth() / 8;
    if (int64_t(raw.size()) != count * width)
      return mismatch(int64_t(raw.size()) / width);
    // ONNX raw data is little-endian, as is every host TinyQ runs on.
    static_assert(llvm::endianness::native == llvm::endianness::little,
                  "big-endian hosts need byte swapping here");
    return DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(raw.data(), raw.size()));
  }

  Type elt = *elementType;
  if (elt.isF32()) {
    if (tensor.float_data_size() != count)
      return mismatch(tensor.float_data_size());
    return DenseElementsAttr::get(
        type, ArrayRef<float>(tensor.float_data().data(), count));
  }
  if (elt.isF64()) {
    if (tensor.double_data_size() != count)
      return mismatch(tensor.double_data_size());
    return DenseElementsAttr::get(
        type, ArrayRef<double>(tensor.double_data().data(), count));
  }
  if (elt.isInteger(64)) {
    if (tensor.int64_data_size() != count)
      return mismatch(tensor.int64_data_size());
    return DenseElementsAttr::get(
        type, ArrayRef<int64_t>(tensor.int64_data().data(), count));
  }
  // Everything else narrower than 64 bits is stored in int32_data (FLOAT16
  // as its bit pattern).
  if (tensor.int32_data_size() != count)
    return mismatch(tensor.int32_data_size());
  unsigned width = elt.getIntOrFloatBitWidth();
  SmallVector<APInt> ints;
  ints.reserve(count);
  for (int32_t value : tensor.int32_data())
    ints.push_back(APInt(width, uint64_t(int64_t(value)), /*isSigned=*/false,
                         /*implicitTrunc=*/true));
  if (elt.isF16()) {
    SmallVector<APFloat> halves;
    for (const APInt &bits : ints)
      halves.push_back(APFloat(APFloat::IEEEhalf(), bits));
    return DenseElementsAttr::get(type, halves);
  }
  return DenseElementsAttr::get(type, ints);
}

FailureOr<Attribute>
OnnxImporter::convertAttribute(const onnx::AttributeProto &attr, Location loc) {
  switch (attr.type()) {
  case onnx::AttributeProto::INT:
    return Attribute(builder.getI64IntegerAttr(attr.i()));
  case onnx::AttributeProto::FLOAT:
    return Attribute(builder.getF32FloatAttr(attr.f()));
  case onnx::AttributeProto::STRING:
    return Attribute(builder.getStringAttr(attr.s()));
  case onnx::AttributeProto::INTS:
    return Attribute(builder.getDenseI64ArrayAttr(
        ArrayRef<int64_t>(attr.ints().data(), attr.ints_size())));
  case onnx::AttributeProto::FLOATS:
    return Attribute(builder.getDenseF32ArrayAttr(
        ArrayRef<float>(attr.floats().data(), attr.floats_size())));
  case onnx::AttributeProto::STRINGS: {
    SmallVector<Attribute> strings;
    for (const std::string &s : attr.strings())
      strings.push_back(builder.getStringAttr(s));
    return Attribute(builder.getArrayAttr(strings));
  }
  case onnx::AttributeProto::TENSOR: {
    FailureOr<DenseElementsAttr> value = convertTensor(attr.t(), loc);
    if (failed(value))
      return failure();
    return Attribute(*value);
  }
  default:
    return emitError(loc) << "attribute '" << attr.name() << "' of kind "
                          << onnx::AttributeProto::AttributeType_Name(
                                 attr.type())
                          << " is not supported";
  }
}

Location OnnxImporter::nodeLoc(const onnx::NodeProto &node, size_t index) {
  std::string name = node.name().empty()
                         ? llvm::formatv("{0}_{1}", node.op_type(), index).str()
                         : node.name();
  return NameLoc::get(builder.getStringAttr(name), fileLoc);
}

LogicalResult OnnxImporter::importNode(const onnx::NodeProto &node,
                                       size_t index) {
  Location loc = nodeLoc(node, index);
  SmallVector<Value> inputs;
  for (const std::string &name : node.input()) {
    if (name.empty()) {
      inputs.push_back(
          frontend::NoneOp::create(builder, loc, builder.getNoneType()));
      continue;
    }
    auto it = values.find(name);
    if (it == values.end())
      return emitError(loc) << "node input '" << name << "' is not defined";
    inputs.push_back(it->second);
  }
  SmallVector<Type> resultTypes;
  for (const std::string &name : node.output()) {
    if (name.empty()) {
      resultTypes.push_back(builder.getNoneType());
      continue;
    }
    auto it = valueTypes.find(name);
    if (it == valueTypes.end())
      return emitError(loc) << "cannot infer the type of '" << name
                            << "', an output of " << node.op_type();
    FailureOr<Type> type = convertValueType(it->second, name, loc);
    if (failed(type))
      return failure();
    resultTypes.push_back(*type);
  }

  bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
  std::string opType = defaultDomain
                           ? "onnx." + node.op_type()
                           : "onnx." + node.domain() + "." + node.op_type();
  auto op = frontend::NodeOp::create(builder, loc, resultTypes,
                                     builder.getStringAttr(opType), inputs);
  for (const onnx::AttributeProto &attr : node.attribute()) {
    FailureOr<Attribute> value = convertAttribute(attr, loc);
    if (failed(value))
      return failure();
    op->setAttr("onnx." + attr.name(), *value);
  }
  for (auto [name, result] : llvm::zip(node.output(), op.getOutputs()))
    if (!name.empty())
      values[name] = result;
  return success();
}

LogicalResult OnnxImporter::importGraph(ModuleOp module) {
  const onnx::GraphProto &graph = model.graph();
  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &init : graph.initializer())
    initializerNames.insert(init.name());

  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> inputs;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializerNames.contains(input.name()))
      continue;
    FailureOr<Type> type =
        convertValueType(input.type(), input.name(), valueLoc(input.name()));
    if (failed(type))
      return failure();
    argTypes.push_back(*type);
    inputs.push_back(&input);
  }
  SmallVector<Type> resultTypes;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    auto it = valueTypes.find(output.name());
    FailureOr<Type> type =
        it == valueTypes.end()
            ? FailureOr<Type>(emitError(valueLoc(output.name()))
                              << "graph output '" << output.name()
                              << "' has no type")
            : convertValueType(it->second, output.name(),
                               valueLoc(output.name()));
    if (failed(type))
      return failure();
    resultTypes.push_back(*type);
  }

  builder.setInsertionPointToEnd(module.getBody());
  auto func =
      func::FuncOp::create(builder, fileLoc, options.functionName,
                           builder.getFunctionType(argTypes, resultTypes));
  func->setAttr(frontend::kFormatAttrName, builder.getStringAttr("onnx"));
  func->setAttr(frontend::kOpsetAttrName, builder.getI64IntegerAttr(opset));
  Block *entry = func.addEntryBlock();
  for (auto [index, input] : llvm::enumerate(inputs)) {
    values[input->name()] = entry->getArgument(index);
    func.setArgAttr(index, "tinyq_frontend.name",
                    builder.getStringAttr(input->name()));
  }
  for (auto [index, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(index, "tinyq_frontend.name",
                       builder.getStringAttr(output.name()));

  builder.setInsertionPointToStart(entry);
  for (const onnx::TensorProto &init : graph.initializer()) {
    Location loc = valueLoc(init.name());
    FailureOr<DenseElementsAttr> value = convertTensor(init, loc);
    if (failed(value))
      return failure();
    values[init.name()] = arith::ConstantOp::create(builder, loc, *value);
  }
  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, index)))
      return failure();

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    auto it = values.find(output.name());
    if (it == values.end())
      return emitError(valueLoc(output.name()))
             << "graph output '" << output.name() << "' is never produced";
    results.push_back(it->second);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  return success();
}

OwningOpRef<ModuleOp> OnnxImporter::run(StringRef bytes) {
  context->loadDialect<arith::ArithDialect, func::FuncDialect,
                       frontend::TinyQFrontendDialect>();
  if (options.batchSize < 1) {
    emitError(fileLoc) << "the batch size must be at least 1";
    return nullptr;
  }
  if (failed(parse(bytes)) || failed(fixInputShapes()) ||
      failed(checkAndInferShapes()))
    return nullptr;
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  if (failed(importGraph(*module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp> tinyq::importOnnx(llvm::MemoryBufferRef buffer,
                                        MLIRContext *context,
                                        const OnnxImportOptions &options) {
  OnnxImporter importer(context, buffer.getBufferIdentifier(), options);
  return importer.run(buffer.getBuffer());
}
