/**
 * Two small classifiers on slice features, fast enough to train many times per second in a Web
 * Worker: k-nearest neighbours (Euclidean) and L2-regularised logistic regression fitted by
 * Newton's method. Both follow scikit-learn's defaults (KNeighborsClassifier with uniform weights;
 * LogisticRegression with C = 1 and an unpenalised intercept), which the tests use as the reference.
 */

/** Indices (into `train`) of the k training rows nearest to each test row, nearest first. */
export function nearestNeighbours(x: Float64Array, dim: number, train: Int32Array, test: Int32Array, k: number): Int32Array[] {
  const kk = Math.min(k, train.length);
  const bestD = new Float64Array(kk);
  const bestI = new Int32Array(kk);
  return Array.from(test, (q) => {
    let filled = 0;
    const qo = q * dim;
    for (let t = 0; t < train.length; t++) {
      const to = train[t] * dim;
      let d2 = 0;
      for (let d = 0; d < dim; d++) {
        const diff = x[qo + d] - x[to + d];
        d2 += diff * diff;
      }
      if (filled === kk && d2 >= bestD[kk - 1]) continue;
      // Insertion into the short sorted list of the best so far.
      let p = filled < kk ? filled++ : kk - 1;
      while (p > 0 && bestD[p - 1] > d2) {
        bestD[p] = bestD[p - 1];
        bestI[p] = bestI[p - 1];
        p--;
      }
      bestD[p] = d2;
      bestI[p] = t;
    }
    return bestI.slice(0, filled);
  });
}

/** Majority vote of the neighbours' labels; a tie goes to class 0, as in scikit-learn (argmax takes the first). */
export function knnPredict(neighbours: Int32Array[], train: Int32Array, y: Uint8Array): Uint8Array {
  return Uint8Array.from(neighbours, (nb) => {
    let ones = 0;
    for (const t of nb) ones += y[train[t]];
    return ones * 2 > nb.length ? 1 : 0;
  });
}

/** Solves A z = b in place for a symmetric positive definite A (Cholesky); returns z. */
function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= a[j * n + k] * a[j * n + k];
    const diag = Math.sqrt(Math.max(s, 1e-12));
    a[j * n + j] = diag;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = t / diag;
    }
  }
  const z = new Float64Array(b);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) z[i] -= a[i * n + k] * z[k];
    z[i] /= a[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) z[i] -= a[k * n + i] * z[k];
    z[i] /= a[i * n + i];
  }
  return z;
}

/**
 * Weights (dim features, then the intercept) minimising sum of log-losses + |w|² / (2C), the
 * objective of scikit-learn's LogisticRegression (penalty "l2", intercept not penalised).
 */
export function fitLogistic(x: Float64Array, dim: number, train: Int32Array, y: Uint8Array, C = 1): Float64Array {
  const p = dim + 1;
  const margin = (w: Float64Array, i: number) => {
    let z = w[dim];
    for (let d = 0; d < dim; d++) z += w[d] * x[i * dim + d];
    return z;
  };
  const objective = (w: Float64Array) => {
    let f = 0;
    for (let d = 0; d < dim; d++) f += (w[d] * w[d]) / (2 * C);
    for (const i of train) {
      // log(1 + exp(-s z)) with s = ±1, written to stay finite for large |z|.
      const m = (y[i] ? 1 : -1) * margin(w, i);
      f += m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
    }
    return f;
  };
  let w = new Float64Array(p);
  let f = objective(w);
  for (let iter = 0; iter < 100; iter++) {
    const grad = new Float64Array(p);
    const hess = new Float64Array(p * p);
    for (let j = 0; j < dim; j++) {
      grad[j] = w[j] / C;
      hess[j * p + j] = 1 / C;
    }
    for (const i of train) {
      const prob = 1 / (1 + Math.exp(-margin(w, i)));
      const r = prob - y[i];
      const v = prob * (1 - prob);
      const o = i * dim;
      for (let a = 0; a < p; a++) {
        const xa = a < dim ? x[o + a] : 1;
        grad[a] += r * xa;
        const va = v * xa;
        for (let b = 0; b <= a; b++) hess[a * p + b] += va * (b < dim ? x[o + b] : 1);
      }
    }
    const step = solveSpd(hess, grad, p);
    // Newton step with halving: plain Newton can overshoot on nearly separable folds.
    let t = 1;
    let next = w;
    let fNext = f;
    for (let h = 0; h < 30; h++, t /= 2) {
      next = w.map((v, d) => v - t * step[d]);
      fNext = objective(next);
      if (fNext <= f) break;
    }
    const moved = Math.max(...next.map((v, d) => Math.abs(v - w[d])));
    w = next;
    if (f - fNext < 1e-12 * Math.max(1, f) || moved < 1e-10) break;
    f = fNext;
  }
  return w;
}

export function logisticPredict(x: Float64Array, dim: number, w: Float64Array, test: Int32Array): Uint8Array {
  return Uint8Array.from(test, (i) => {
    let z = w[dim];
    for (let d = 0; d < dim; d++) z += w[d] * x[i * dim + d];
    return z > 0 ? 1 : 0;
  });
}
