/**
 * Kernels of this project with no tfjs counterpart, registered per backend (cpu/, webgpu/).
 * BatchNorm in training mode without affine, NHWC, statistics over N·H·W:
 *   BN_FORWARD  inputs {x}, attrs {eps}      → [x̂, stats [3,C] = (mean, unbiased var, 1/√(biased var + eps))]
 * (rows 0–1 are what the running statistics take: PyTorch updates running_var with the unbiased one)
 *   BN_BACKWARD inputs {dy, xhat, stats}     → dx = inv·(dy − mean(dy) − x̂·mean(dy·x̂))
 */
export const BN_FORWARD = 'LambdaDartsBnForward';
export const BN_BACKWARD = 'LambdaDartsBnBackward';

/**
 * The weighted sum of one DARTS node (ops.ts mixedSum), y = Σ_k w_k·x_k over same-shape x_k:
 *   WSUM_FORWARD  inputs {w [K], x0 … x(K−1)}      → y
 *   WSUM_BACKWARD inputs {dy, w, x0 … x(K−1)}      → [dw [K], dx0 … dx(K−1)],  dx_k = w_k·dy, dw_k = Σ dy·x_k
 * At most WSUM_MAX_INPUTS terms (a DARTS node has ≤ 5 inputs × 7 ops = 35).
 */
export const WSUM_FORWARD = 'LambdaDartsWeightedSum';
export const WSUM_BACKWARD = 'LambdaDartsWeightedSumGrad';
export const WSUM_MAX_INPUTS = 42;

/**
 * AvgPool2d(3, stride, padding=1, count_include_pad=False), NHWC: the mean over the in-bounds
 * elements of each 3×3 window (ops.ts avgPool3; the composite is pad → 'valid' avgPool → ×9/count):
 *   AVGPOOL3_FORWARD  inputs {x}, attrs {stride}           → y
 *   AVGPOOL3_BACKWARD inputs {dy}, attrs {stride, inShape} → dx
 */
export const AVGPOOL3_FORWARD = 'LambdaDartsAvgPool3';
export const AVGPOOL3_BACKWARD = 'LambdaDartsAvgPool3Grad';
