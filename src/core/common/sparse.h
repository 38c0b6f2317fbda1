// The one sparse matrix type of the core: TF-IDF output, forest input. Never densified.
#pragma once
#include <Eigen/SparseCore>

namespace tf {
using SparseMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor, int>;     // CSR
using SparseMatrixCsc = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;  // CSC (forest fitting)
}  // namespace tf
