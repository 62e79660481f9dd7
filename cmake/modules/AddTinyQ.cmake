# Thin wrappers over MLIR's CMake functions, in the manner of AddCIRCT.cmake.
include_guard()

# A documentation page generated from a .td file into docs/ of the build tree;
# `ninja tinyq-doc` builds all of them and `ninja tinyq-update-doc` copies them
# into the source tree, where a lit test checks that they are current.
function(add_tinyq_doc td_filename output_file command)
  set(LLVM_TARGET_DEFINITIONS ${td_filename}.td)
  tablegen(MLIR ${output_file}.md ${command} ${ARGN})
  set(generated "${CMAKE_CURRENT_BINARY_DIR}/${output_file}.md")
  set(dest "${TINYQ_BINARY_DIR}/docs/${output_file}.md")
  add_custom_command(OUTPUT ${dest}
    COMMAND ${CMAKE_COMMAND} -E copy ${generated} ${dest}
    DEPENDS ${generated})
  add_custom_target(${output_file}DocGen DEPENDS ${dest})
  add_dependencies(tinyq-doc ${output_file}DocGen)
endfunction()

# An MLIR-dependent library; links the shared libMLIR and libLLVM.
function(add_tinyq_library name)
  add_mlir_library(${ARGV} DISABLE_INSTALL)
  target_link_libraries(${name} PUBLIC MLIR LLVM)
endfunction()

# A tool executable linking the shared libraries.
function(add_tinyq_tool name)
  add_llvm_executable(${name} ${ARGN})
  llvm_update_compile_flags(${name})
  set_target_properties(${name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${TINYQ_TOOLS_DIR})
endfunction()

# A GoogleTest binary, run by the Unit lit suite.
function(add_tinyq_unittest test_suite test_name)
  add_executable(${test_name} ${ARGN})
  target_link_libraries(${test_name} PRIVATE GTest::gtest GTest::gtest_main)
  set_target_properties(${test_name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${TINYQ_BINARY_DIR}/unittests/${test_suite})
  add_dependencies(TinyQUnitTests ${test_name})
endfunction()
