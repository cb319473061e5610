/*
 * Floating-point kernel (double): a five-body gravity simulation and a
 * dense matrix multiply.
 */
#include "bench.h"

#define NBODY_STEPS 1500000
#define MAT_N       96
#define MAT_ROUNDS  40

const char bench_name[] = "fp";

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static struct body bodies[5] = {
    { 0, 0, 0, 0, 0, 0, 39.47841760435743 },
    { 4.84, -1.16, -0.10, 0.606, 2.81, -0.02, 0.0377 },
    { 8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.0113 },
    { 12.89, -15.11, -0.22, 1.08, 0.868, -0.01, 0.0017 },
    { 15.37, -25.91, 0.17, 0.979, 0.594, -0.034, 0.0020 },
};

static double ma[MAT_N][MAT_N], mb[MAT_N][MAT_N], mc[MAT_N][MAT_N];

static void advance(double dt)
{
    for (int i = 0; i < 5; i++) {
        for (int j = i + 1; j < 5; j++) {
            double dx = bodies[i].x - bodies[j].x;
            double dy = bodies[i].y - bodies[j].y;
            double dz = bodies[i].z - bodies[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * bench_sqrt(d2));

            bodies[i].vx -= dx * bodies[j].mass * mag;
            bodies[i].vy -= dy * bodies[j].mass * mag;
            bodies[i].vz -= dz * bodies[j].mass * mag;
            bodies[j].vx += dx * bodies[i].mass * mag;
            bodies[j].vy += dy * bodies[i].mass * mag;
            bodies[j].vz += dz * bodies[i].mass * mag;
        }
    }
    for (int i = 0; i < 5; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

static void matmul(void)
{
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            double s = 0;
            for (int k = 0; k < MAT_N; k++) {
                s += ma[i][k] * mb[k][j];
            }
            mc[i][j] = s;
        }
    }
}

static uint64_t bits(double d)
{
    union { double d; uint64_t u; } v = { .d = d };
    return v.u;
}

uint64_t bench_run(void)
{
    uint64_t seed = 5, sum = 0;

    for (int s = 0; s < NBODY_STEPS; s++) {
        advance(0.001);
    }
    for (int i = 0; i < 5; i++) {
        sum ^= bits(bodies[i].x) + bits(bodies[i].vy);
    }
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            ma[i][j] = (double)(bench_rand(&seed) % 1000) / 100.0;
            mb[i][j] = (double)(bench_rand(&seed) % 1000) / 100.0;
        }
    }
    for (int r = 0; r < MAT_ROUNDS; r++) {
        matmul();
        ma[r][r] += mc[MAT_N - 1 - r][r] * 1e-6;
    }
    return sum ^ bits(mc[3][7]) ^ bits(mc[MAT_N - 1][0]);
}
