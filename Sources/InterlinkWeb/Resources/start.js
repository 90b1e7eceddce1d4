window.IL.start();
