/**
 * One requestAnimationFrame loop for every chart: each registers a drawer, which redraws when the
 * store's version or its own size changed. Nothing runs while no chart is mounted.
 */
type Drawer = () => void;

const drawers = new Set<Drawer>();
let frame = 0;

function tick(): void {
  frame = drawers.size ? requestAnimationFrame(tick) : 0;
  for (const d of drawers) {
    try {
      d();
    } catch (e) {
      console.error(e);
    }
  }
}

/** Calls `draw` once per animation frame until the returned function is called. */
export function onFrame(draw: Drawer): () => void {
  drawers.add(draw);
  if (!frame) frame = requestAnimationFrame(tick);
  return () => {
    drawers.delete(draw);
    if (!drawers.size && frame) {
      cancelAnimationFrame(frame);
      frame = 0;
    }
  };
}
