// Plane geometry for text boxes: the convex hull, the minimum-area rectangle around points
// (rotating calipers over the hull's edges), and corner order.

export type Point = [number, number];
/** four corners: top-left, top-right, bottom-right, bottom-left */
export type Quad = [Point, Point, Point, Point];

export const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Andrew's monotone chain; counter-clockwise, without collinear points. */
export function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const half = (list: Point[]) => {
    const out: Point[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(sorted), ...half(sorted.reverse())];
}

export interface Rect {
  corners: [Point, Point, Point, Point];
  width: number;
  height: number;
}

/** The smallest-area rectangle holding `points`: one of its sides lies on an edge of the hull. */
export function minAreaRect(points: Point[]): Rect {
  const hull = convexHull(points);
  if (hull.length < 3) return boundingRect(points);
  let best: Rect | undefined;
  let bestArea = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0) continue;
    const ux = (b[0] - a[0]) / len;
    const uy = (b[1] - a[1]) / len;
    let minU = Infinity,
      maxU = -Infinity,
      minV = Infinity,
      maxV = -Infinity;
    for (const p of hull) {
      const u = p[0] * ux + p[1] * uy;
      const v = -p[0] * uy + p[1] * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea) {
      bestArea = area;
      const at = (u: number, v: number): Point => [u * ux - v * uy, u * uy + v * ux];
      best = {
        corners: [at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)],
        width: maxU - minU,
        height: maxV - minV,
      };
    }
  }
  return best ?? boundingRect(points);
}

function boundingRect(points: Point[]): Rect {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return {
    corners: [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ],
    width: x1 - x0,
    height: y1 - y0,
  };
}

/**
 * Corners in reading order as PaddleOCR's get_mini_boxes orders them: of the two leftmost the
 * upper is top-left, of the two rightmost the upper is top-right.
 */
export function orderCorners(corners: Point[]): Quad {
  const p = [...corners].sort((a, b) => a[0] - b[0]);
  const [tl, bl] = p[1]![1] > p[0]![1] ? [p[0]!, p[1]!] : [p[1]!, p[0]!];
  const [tr, br] = p[3]![1] > p[2]![1] ? [p[2]!, p[3]!] : [p[3]!, p[2]!];
  return [tl, tr, br, bl];
}

/** The rectangle grown by `d` on every side (what offsetting it by `d` and taking the smallest rectangle gives). */
export function grow(rect: Rect, d: number): Rect {
  const [a, b, , e] = rect.corners;
  const ux = rect.width > 0 ? (b[0] - a[0]) / rect.width : 1;
  const uy = rect.width > 0 ? (b[1] - a[1]) / rect.width : 0;
  const vx = rect.height > 0 ? (e[0] - a[0]) / rect.height : -uy;
  const vy = rect.height > 0 ? (e[1] - a[1]) / rect.height : ux;
  const move = (p: Point, su: number, sv: number): Point => [
    p[0] + (su * ux + sv * vx) * d,
    p[1] + (su * uy + sv * vy) * d,
  ];
  const [p0, p1, p2, p3] = rect.corners;
  return {
    corners: [move(p0, -1, -1), move(p1, 1, -1), move(p2, 1, 1), move(p3, -1, 1)],
    width: rect.width + 2 * d,
    height: rect.height + 2 * d,
  };
}

/** Whether `p` lies inside the convex quad (corners in either winding). */
export function insideQuad(q: readonly Point[], p: Point): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const c = cross(q[i]!, q[(i + 1) % 4]!, p);
    if (c === 0) continue;
    if (sign === 0) sign = Math.sign(c);
    else if (Math.sign(c) !== sign) return false;
  }
  return true;
}
