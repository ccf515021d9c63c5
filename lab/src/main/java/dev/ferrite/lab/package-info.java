package dev.ferrite.lab;
