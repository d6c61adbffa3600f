package dev.cairn.tpch.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** Draws per-query times of several systems as grouped bars on a logarithmic axis (PNG). */
final class BarChart {
  private final String title;
  private final Map<String, double[]> series = new LinkedHashMap<>();

  BarChart(String title) {
    this.title = title;
  }

  /** Adds one system's times in milliseconds, index 0 = Q1; NaN values are left out. */
  BarChart add(String name, double[] millisByQuery) {
    series.put(name, millisByQuery.clone());
    return this;
  }

  void writePng(Path file, int width, int height) throws IOException {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Map.Entry<String, double[]> s : series.entrySet()) {
      for (int q = 0; q < s.getValue().length; q++) {
        double v = s.getValue()[q];
        if (v > 0 && Double.isFinite(v)) {
          data.addValue(v, s.getKey(), "Q" + (q + 1));
        }
      }
    }
    JFreeChart chart = ChartFactory.createBarChart(title, "query", "ms (log scale)", data,
        PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    LogAxis axis = new LogAxis("ms (log scale)");
    axis.setBase(10);
    axis.setSmallestValue(0.1);
    plot.setRangeAxis(axis);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.02);
    renderer.setBase(0.1);
    chart.setBackgroundPaint(Color.WHITE);
    Files.createDirectories(file.toAbsolutePath().getParent());
    ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
  }
}
