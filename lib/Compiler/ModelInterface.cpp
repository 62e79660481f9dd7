//===- ModelInterface.cpp - The C interface of a compiled model -----------===//

#include "tinyq/Compiler/ModelInterface.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

#include <set>

using namespace mlir;
using namespace tinyq;

bool tinyq::isValidModelName(StringRef name) {
  return !name.empty() && (llvm::isAlpha(name[0]) || name[0] == '_') &&
         llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

namespace {
/// The quantize at the start of an integer model's input.
struct QuantizedInput {
  quant::QuantizeCastOp quantize;
  quant::StorageCastOp toStorage;
};

/// The dequantize at the end of an integer model's output.
struct DequantizedOutput {
  quant::StorageCastOp fromStorage;
  quant::DequantizeCastOp dequantize;
};

/// Whether \p type has a per-tensor uniform quantized element type.
bool isPerTensorQuantized(Type type) {
  return isa<quant::UniformQuantizedType>(getElementTypeOrSelf(type));
}

std::optional<QuantizedInput> matchQuantizedInput(BlockArgument arg) {
  if (!arg.hasOneUse())
    return std::nullopt;
  auto quantize = dyn_cast<quant::QuantizeCastOp>(*arg.user_begin());
  if (!quantize || !quantize->hasOneUse() ||
      !isPerTensorQuantized(quantize.getType()))
    return std::nullopt;
  auto toStorage = dyn_cast<quant::StorageCastOp>(*quantize->user_begin());
  if (!toStorage)
    return std::nullopt;
  return QuantizedInput{quantize, toStorage};
}

std::optional<DequantizedOutput> matchDequantizedOutput(Value result) {
  auto dequantize = result.getDefiningOp<quant::DequantizeCastOp>();
  if (!dequantize || !isPerTensorQuantized(dequantize.getInput().getType()))
    return std::nullopt;
  auto fromStorage =
      dequantize.getInput().getDefiningOp<quant::StorageCastOp>();
  if (!fromStorage || !fromStorage->hasOneUse())
    return std::nullopt;
  return DequantizedOutput{fromStorage, dequantize};
}

/// The quantized element type of a tensor value, or null.
quant::QuantizedType getQuantizedElementType(Value value) {
  return dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(value.getType()));
}

/// Rewrites the quantized arguments and results of \p func (a pre-quantized
/// model's). With \p asFloat, into the form of a quantized float model: a
/// float argument quantized by qcast + scast, a float result dequantized by
/// scast + dcast, which createEntryPoints then splits like any integer
/// model's. Otherwise they pass their integer storage. Returns whether
/// there was any.
bool rewriteQuantizedBoundaries(func::FuncOp func, bool asFloat) {
  bool rewritten = false;
  Block &body = func.getBody().front();
  OpBuilder builder(func.getContext());
  builder.setInsertionPointToStart(&body);
  for (BlockArgument arg : body.getArguments()) {
    quant::QuantizedType quantized = getQuantizedElementType(arg);
    if (!quantized)
      continue;
    rewritten = true;
    Location loc = arg.getLoc();
    auto type = cast<RankedTensorType>(arg.getType());
    auto storageType = type.clone(quantized.getStorageType());
    Value storage = arg;
    Operation *keep = nullptr;
    if (asFloat) {
      arg.setType(type.clone(quantized.getExpressedType()));
      auto quantize = quant::QuantizeCastOp::create(builder, loc, type, arg);
      keep = quantize;
      storage =
          quant::StorageCastOp::create(builder, loc, storageType, quantize);
    } else {
      arg.setType(storageType);
    }
    auto back = quant::StorageCastOp::create(builder, loc, type, storage);
    arg.replaceAllUsesExcept(back, keep ? keep : back.getOperation());
  }
  auto returnOp = cast<func::ReturnOp>(body.getTerminator());
  builder.setInsertionPoint(returnOp);
  for (OpOperand &operand : returnOp->getOpOperands()) {
    quant::QuantizedType quantized = getQuantizedElementType(operand.get());
    if (!quantized)
      continue;
    rewritten = true;
    Location loc = returnOp.getLoc();
    auto type = cast<RankedTensorType>(operand.get().getType());
    Value storage = quant::StorageCastOp::create(
        builder, loc, type.clone(quantized.getStorageType()), operand.get());
    if (asFloat) {
      Value back = quant::StorageCastOp::create(builder, loc, type, storage);
      operand.set(quant::DequantizeCastOp::create(
          builder, loc, type.clone(quantized.getExpressedType()), back));
    } else {
      operand.set(storage);
    }
  }
  func.setType(FunctionType::get(func.getContext(), body.getArgumentTypes(),
                                 returnOp.getOperandTypes()));
  return rewritten;
}

/// The C spelling of a tensor element type the interface can pass.
std::optional<std::string> getCType(Type type) {
  Type element = getElementTypeOrSelf(type);
  if (element.isF16())
    return std::string("_Float16");
  if (element.isF32())
    return std::string("float");
  if (element.isF64())
    return std::string("double");
  if (auto integer = dyn_cast<IntegerType>(element)) {
    unsigned width = integer.getWidth();
    if (width == 1)
      return std::string("bool");
    if (width != 8 && width != 16 && width != 32 && width != 64)
      return std::nullopt;
    return (integer.isUnsigned() ? "uint" : "int") + std::to_string(width) +
           "_t";
  }
  return std::nullopt;
}

/// The interface entry of a tensor of \p type, quantized by \p quantized
/// (if an integer model's).
llvm::Expected<TensorInterface> describe(Type type, StringRef name,
                                         Type quantized) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  std::optional<std::string> cType = getCType(type);
  if (!tensor || !tensor.hasStaticShape() || !cType)
    return llvm::createStringError(
        "'" + name +
        "' must be a statically shaped tensor of f16, f32, f64, booleans or "
        "8- to 64-bit integers to be passed from C");
  TensorInterface result;
  result.name = name.str();
  result.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  result.cType = *cType;
  if (quantized) {
    auto uniform =
        cast<quant::UniformQuantizedType>(getElementTypeOrSelf(quantized));
    result.scale = uniform.getScale();
    result.zeroPoint = int32_t(uniform.getZeroPoint());
  }
  return result;
}

/// The frontend name of argument or result \p index, or a generic one.
std::string getTensorName(DictionaryAttr attrs, StringRef what,
                          unsigned index) {
  if (attrs)
    if (auto name = attrs.getAs<StringAttr>("tinyq_frontend.name"))
      return name.str();
  return (what + llvm::Twine(index)).str();
}
} // namespace

llvm::Expected<ModelInterface>
tinyq::createEntryPoints(ModuleOp module, StringRef entry, StringRef name) {
  if (!isValidModelName(name))
    return llvm::createStringError("model name '" + name +
                                   "' is not a C identifier");
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func || func.isExternal())
    return llvm::createStringError("the model has no function '" + entry + "'");
  ModelInterface interface;
  interface.name = name.str();
  MLIRContext *context = module.getContext();
  StringAttr runName = StringAttr::get(context, interface.getRunSymbol());
  if (entry != runName.strref() &&
      failed(SymbolTable::replaceAllSymbolUses(func, runName, module)))
    return llvm::createStringError("cannot rename the model function");
  func.setName(runName);

  Block &body = func.getBody().front();
  auto returnOp = cast<func::ReturnOp>(body.getTerminator());
  // Quantized arguments and results take the form of a quantized float
  // model's only when all boundaries are quantized one way or the other.
  auto isQuantizedValue = [](Value value) {
    return static_cast<bool>(getQuantizedElementType(value));
  };
  bool allQuantized =
      body.getNumArguments() > 0 && returnOp.getNumOperands() > 0 &&
      llvm::all_of(body.getArguments(),
                   [&](BlockArgument arg) {
                     return isQuantizedValue(arg) ||
                            matchQuantizedInput(arg).has_value();
                   }) &&
      llvm::all_of(returnOp.getOperands(), [&](Value result) {
        return isQuantizedValue(result) ||
               matchDequantizedOutput(result).has_value();
      });
  interface.hasQuantizedSignature =
      rewriteQuantizedBoundaries(func, /*asFloat=*/allQuantized) &&
      allQuantized;
  SmallVector<std::optional<QuantizedInput>> inputs;
  SmallVector<std::optional<DequantizedOutput>> outputs;
  for (BlockArgument arg : body.getArguments())
    inputs.push_back(matchQuantizedInput(arg));
  for (Value result : returnOp.getOperands())
    outputs.push_back(matchDequantizedOutput(result));
  interface.hasFloatWrapper =
      !inputs.empty() && !outputs.empty() &&
      llvm::all_of(inputs, [](auto &input) { return input.has_value(); }) &&
      llvm::all_of(outputs, [](auto &output) { return output.has_value(); });

  ArrayAttr argAttrs = func.getArgAttrsAttr(),
            resAttrs = func.getResAttrsAttr();
  auto attrsAt = [](ArrayAttr attrs, unsigned index) {
    return attrs ? dyn_cast<DictionaryAttr>(attrs[index]) : DictionaryAttr();
  };
  FunctionType floatType = func.getFunctionType();
  for (auto [index, type] : llvm::enumerate(floatType.getInputs())) {
    Type quantized =
        interface.hasFloatWrapper ? inputs[index]->quantize.getType() : Type();
    Type passed =
        interface.hasFloatWrapper ? inputs[index]->toStorage.getType() : type;
    auto input = describe(
        passed, getTensorName(attrsAt(argAttrs, index), "input", index),
        quantized);
    if (!input)
      return input.takeError();
    interface.inputs.push_back(std::move(*input));
  }
  for (auto [index, type] : llvm::enumerate(floatType.getResults())) {
    Type quantized = interface.hasFloatWrapper
                         ? outputs[index]->fromStorage.getType()
                         : Type();
    Type passed = interface.hasFloatWrapper
                      ? outputs[index]->fromStorage.getInput().getType()
                      : type;
    auto output = describe(
        passed, getTensorName(attrsAt(resAttrs, index), "output", index),
        quantized);
    if (!output)
      return output.takeError();
    interface.outputs.push_back(std::move(*output));
  }
  if (!interface.hasFloatWrapper)
    return interface;

  // NAME_run on integers: the casts move into NAME_run_float.
  SmallVector<Type> quantizedInputs, quantizedOutputs;
  for (auto [arg, input] : llvm::zip(body.getArguments(), inputs)) {
    quantizedInputs.push_back(input->quantize.getType());
    Value storage = input->toStorage.getResult();
    arg.setType(storage.getType());
    storage.replaceAllUsesWith(arg);
    input->toStorage.erase();
    input->quantize.erase();
  }
  for (auto [operand, output] : llvm::zip(returnOp->getOpOperands(), outputs)) {
    quantizedOutputs.push_back(output->fromStorage.getType());
    operand.set(output->fromStorage.getInput());
    if (output->dequantize->use_empty())
      output->dequantize.erase();
    if (output->fromStorage->use_empty())
      output->fromStorage.erase();
  }
  func.setType(FunctionType::get(context, body.getArgumentTypes(),
                                 returnOp.getOperandTypes()));

  OpBuilder builder(context);
  builder.setInsertionPointAfter(func);
  auto wrapper = func::FuncOp::create(builder, func.getLoc(),
                                      interface.getRunFloatSymbol(), floatType);
  if (argAttrs)
    wrapper.setArgAttrsAttr(argAttrs);
  if (resAttrs)
    wrapper.setResAttrsAttr(resAttrs);
  Block *wrapperBody = wrapper.addEntryBlock();
  builder.setInsertionPointToStart(wrapperBody);
  Location loc = func.getLoc();
  SmallVector<Value> integers;
  for (auto [arg, quantizedType, integerType] :
       llvm::zip(wrapperBody->getArguments(), quantizedInputs,
                 func.getArgumentTypes())) {
    Value quantized =
        quant::QuantizeCastOp::create(builder, loc, quantizedType, arg);
    integers.push_back(
        quant::StorageCastOp::create(builder, loc, integerType, quantized));
  }
  auto call = func::CallOp::create(builder, loc, func, integers);
  SmallVector<Value> results;
  for (auto [result, quantizedType, floatResultType] :
       llvm::zip(call.getResults(), quantizedOutputs, floatType.getResults())) {
    Value quantized =
        quant::StorageCastOp::create(builder, loc, quantizedType, result);
    results.push_back(quant::DequantizeCastOp::create(
        builder, loc, floatResultType, quantized));
  }
  func::ReturnOp::create(builder, loc, results);
  return interface;
}

llvm::Error tinyq::readArenaSize(ModuleOp module, ModelInterface &interface) {
  interface.arenaSize = 0;
  interface.arenaLowerBound = 0;
  SmallVector<std::string> symbols = {interface.getRunSymbol()};
  if (interface.hasFloatWrapper)
    symbols.push_back(interface.getRunFloatSymbol());
  for (const std::string &symbol : symbols) {
    auto func = module.lookupSymbol<LLVM::LLVMFuncOp>(symbol);
    auto size =
        func ? func->getAttrOfType<IntegerAttr>("tinyq.arena_size") : nullptr;
    if (!size)
      return llvm::createStringError("no arena size recorded on '" + symbol +
                                     "'");
    interface.arenaSize = std::max(interface.arenaSize, size.getInt());
    if (auto bound =
            func->getAttrOfType<IntegerAttr>("tinyq.arena_lower_bound"))
      interface.arenaLowerBound =
          std::max(interface.arenaLowerBound, bound.getInt());
  }
  return llvm::Error::success();
}

void tinyq::readLibraryCalls(const llvm::Module &module,
                             ModelInterface &interface) {
  std::set<std::string> calls;
  for (const llvm::Function &function : module) {
    if (!function.isDeclaration() || function.use_empty())
      continue;
    switch (function.getIntrinsicID()) {
    case llvm::Intrinsic::not_intrinsic:
      calls.insert(function.getName().str());
      break;
    case llvm::Intrinsic::memcpy:
    case llvm::Intrinsic::memcpy_inline:
      calls.insert("memcpy");
      break;
    case llvm::Intrinsic::memmove:
      calls.insert("memmove");
      break;
    case llvm::Intrinsic::memset:
    case llvm::Intrinsic::memset_inline:
      calls.insert("memset");
      break;
    default:
      break;
    }
  }
  interface.libraryCalls.assign(calls.begin(), calls.end());
}

/// Writes the macros of one input or output: NAME_<what>_SIZE, _RANK,
/// _SHAPE_<i>, and _SCALE / _ZERO_POINT when quantized.
static void writeTensorMacros(llvm::raw_ostream &os, StringRef prefix,
                              const TensorInterface &tensor,
                              StringRef direction) {
  int64_t size = 1;
  for (int64_t dim : tensor.shape)
    size *= dim;
  os << "/* " << direction << " '" << tensor.name << "': " << tensor.cType
     << " [";
  llvm::interleaveComma(tensor.shape, os);
  os << "]";
  if (tensor.scale)
    os << ", real value = " << prefix << "_SCALE * (q - " << prefix
       << "_ZERO_POINT)";
  os << ". */\n";
  os << "#define " << prefix << "_SIZE " << size << "\n";
  os << "#define " << prefix << "_RANK " << tensor.shape.size() << "\n";
  for (auto [index, dim] : llvm::enumerate(tensor.shape))
    os << "#define " << prefix << "_SHAPE_" << index << " " << dim << "\n";
  if (tensor.scale) {
    os << "#define " << prefix << "_SCALE "
       << llvm::format("%.9gf", float(*tensor.scale)) << "\n";
    os << "#define " << prefix << "_ZERO_POINT (" << tensor.zeroPoint << ")\n";
  }
  os << "\n";
}

void tinyq::writeHeader(llvm::raw_ostream &os, const ModelInterface &interface,
                        StringRef source) {
  std::string prefix = StringRef(interface.name).upper();
  std::string guard = prefix + "_H";
  os << "/* " << interface.name << ".h: the C interface of the model compiled "
     << "by tinyq-compile from\n   " << llvm::sys::path::filename(source)
     << ". Generated; do not edit. */\n\n";
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  os << "#include <stdbool.h>\n#include <stdint.h>\n\n";
  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "/* Working memory of " << interface.getRunSymbol()
     << (interface.hasFloatWrapper ? " and " + interface.getRunFloatSymbol()
                                   : std::string())
     << ": pass a block of at\n   least " << prefix
     << "_ARENA_SIZE bytes, aligned to " << prefix
     << "_ARENA_ALIGNMENT bytes.\n   The model keeps nothing in it between "
     << "calls; calls with distinct arenas\n   may run concurrently. */\n";
  os << "#define " << prefix << "_ARENA_SIZE " << interface.arenaSize << "\n";
  os << "/* The most bytes the model has in use at one time: no arena plan "
        "can be\n   smaller. */\n";
  os << "#define " << prefix << "_ARENA_LOWER_BOUND "
     << interface.arenaLowerBound << "\n";
  os << "#define " << prefix << "_ARENA_ALIGNMENT " << interface.arenaAlignment
     << "\n\n";
  auto macroName = [&](StringRef what, size_t index, size_t count) {
    return count == 1 ? prefix + "_" + what.str()
                      : prefix + "_" + what.str() + std::to_string(index);
  };
  for (auto [index, input] : llvm::enumerate(interface.inputs))
    writeTensorMacros(os, macroName("INPUT", index, interface.inputs.size()),
                      input, "Input");
  for (auto [index, output] : llvm::enumerate(interface.outputs))
    writeTensorMacros(os, macroName("OUTPUT", index, interface.outputs.size()),
                      output, "Output");

  auto writeParameters = [&](bool asFloat) {
    auto parameterName = [](StringRef what, size_t index, size_t count) {
      return count == 1 ? what.str() : what.str() + std::to_string(index);
    };
    for (auto [index, input] : llvm::enumerate(interface.inputs))
      os << "const " << (asFloat ? "float" : input.cType) << " *"
         << parameterName("input", index, interface.inputs.size()) << ", ";
    for (auto [index, output] : llvm::enumerate(interface.outputs))
      os << (asFloat ? "float" : output.cType) << " *"
         << parameterName("output", index, interface.outputs.size()) << ", ";
    os << "void *arena);\n";
  };
  os << "/* Runs the model once on whole row-major tensors. Never allocates. "
     << "Library\n   functions it may call: ";
  if (interface.libraryCalls.empty())
    os << "none";
  else
    llvm::interleaveComma(interface.libraryCalls, os);
  os << ". */\n";
  os << "void " << interface.getRunSymbol() << "(";
  writeParameters(/*asFloat=*/false);
  if (interface.hasFloatWrapper) {
    os << "\n/* The same on real values: quantizes the inputs (round half to "
       << "even,\n   saturating) and dequantizes the outputs with the "
       << "parameters above. */\n";
    os << "void " << interface.getRunFloatSymbol() << "(";
    writeParameters(/*asFloat=*/true);
  }
  os << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}
